#pragma once

#include "strata/Error.h"

#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <system_error>

namespace strata::remote {

/// Throws the failure of a job-store call: a full disk (SQLITE_FULL) as std::system_error ENOSPC, so that callers
/// can tell it from other failures (DiskFull.h: 507, retried), anything else as strata::Error.
[[noreturn]] inline void throwFailure(sqlite3* db, int rc, const std::string& what)
{
    const std::string text = "Job store: " + what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    if ((rc & 0xff) == SQLITE_FULL) throw std::system_error(std::make_error_code(std::errc::no_space_on_device), text);
    throw Error(text);
}

/// A prepared statement with bind-by-position helpers.
class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) : db_(db)
    {
        if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
            throw Error(std::string("Job store: cannot prepare a query: ") + sqlite3_errmsg(db));
        }
    }
    ~Stmt() { sqlite3_finalize(stmt_); }
    Stmt(const Stmt&) = delete;
    Stmt& operator=(const Stmt&) = delete;

    Stmt& bind(int i, const std::string& v)
    {
        sqlite3_bind_text(stmt_, i, v.c_str(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
        return *this;
    }
    Stmt& bind(int i, std::int64_t v)
    {
        sqlite3_bind_int64(stmt_, i, v);
        return *this;
    }
    /// true while rows come.
    bool step()
    {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throwFailure(db_, rc, "query failed");
    }
    std::string text(int col) const
    {
        const auto* p = sqlite3_column_text(stmt_, col);
        return p ? reinterpret_cast<const char*>(p) : "";
    }
    std::int64_t integer(int col) const { return sqlite3_column_int64(stmt_, col); }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_{nullptr};
};

} // namespace strata::remote
