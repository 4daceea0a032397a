// Database: tokens (only hashes of the secrets) and blobs (content-addressed files and who uploaded them).
#include "strata/remote/Database.h"

#include "strata/Sha256.h"

#include "SqliteStatement.h"

#include <sqlite3.h>

#include <span>

namespace strata::remote {

namespace {

std::string tokenHash(const std::string& secret)
{
    return Sha256::ofBytes(std::as_bytes(std::span(secret.data(), secret.size())));
}

TokenInfo readToken(const Stmt& s)
{
    return TokenInfo{s.text(0), s.text(1), s.integer(2) != 0, s.integer(3) != 0, s.integer(4), s.integer(5)};
}

} // namespace

std::pair<TokenInfo, std::string> Database::createToken(const std::string& name, bool admin)
{
    std::lock_guard lock(mutex_);
    TokenInfo info;
    info.id = randomHex(4);
    info.name = name;
    info.admin = admin;
    info.created = unixNow();
    const std::string secret = "strata_" + randomHex(24);
    Stmt s(db_, "INSERT INTO tokens(id, name, hash, admin, created) VALUES(?, ?, ?, ?, ?)");
    s.bind(1, info.id).bind(2, name).bind(3, tokenHash(secret)).bind(4, std::int64_t{admin}).bind(5, info.created);
    s.step();
    return {info, secret};
}

std::vector<TokenInfo> Database::tokens()
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT id, name, admin, revoked, created, last_used FROM tokens ORDER BY created, id");
    std::vector<TokenInfo> out;
    while (s.step()) out.push_back(readToken(s));
    return out;
}

bool Database::revokeToken(const std::string& idOrName)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "UPDATE tokens SET revoked = 1 WHERE (id = ? OR name = ?) AND revoked = 0");
    s.bind(1, idOrName).bind(2, idOrName);
    s.step();
    return sqlite3_changes(db_) > 0;
}

std::optional<TokenInfo> Database::findToken(const std::string& secret)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT id, name, admin, revoked, created, last_used FROM tokens WHERE hash = ? AND revoked = 0");
    s.bind(1, tokenHash(secret));
    if (!s.step()) return std::nullopt;
    TokenInfo t = readToken(s);
    const auto now = unixNow();
    if (now - t.lastUsed >= 60) { // at most one write a minute per token
        Stmt u(db_, "UPDATE tokens SET last_used = ? WHERE id = ?");
        u.bind(1, now).bind(2, t.id);
        u.step();
    }
    return t;
}

int Database::liveTokenCount()
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT COUNT(*) FROM tokens WHERE revoked = 0");
    s.step();
    return static_cast<int>(s.integer(0));
}

bool Database::hasBlob(const std::string& sha256)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT 1 FROM blobs WHERE sha256 = ?");
    s.bind(1, sha256);
    return s.step();
}

bool Database::ownsBlob(const std::string& sha256, const std::string& owner)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT 1 FROM blob_owners o JOIN blobs b ON b.sha256 = o.sha256 WHERE o.sha256 = ? AND o.owner = ?");
    s.bind(1, sha256).bind(2, owner);
    return s.step();
}

void Database::addBlob(const std::string& sha256, std::uint64_t size, const std::string& owner)
{
    std::lock_guard lock(mutex_);
    const auto now = unixNow();
    exec("BEGIN IMMEDIATE");
    try {
        Stmt s(db_, "INSERT OR REPLACE INTO blobs(sha256, size, created) VALUES(?, ?, ?)");
        s.bind(1, sha256).bind(2, static_cast<std::int64_t>(size)).bind(3, now);
        s.step();
        Stmt o(db_, "INSERT OR REPLACE INTO blob_owners(sha256, owner, created) VALUES(?, ?, ?)");
        o.bind(1, sha256).bind(2, owner).bind(3, now);
        o.step();
        exec("COMMIT");
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
}

void Database::removeBlob(const std::string& sha256)
{
    std::lock_guard lock(mutex_);
    exec("BEGIN IMMEDIATE");
    try {
        for (const char* sql : {"DELETE FROM blob_owners WHERE sha256 = ?", "DELETE FROM blobs WHERE sha256 = ?"}) {
            Stmt s(db_, sql);
            s.bind(1, sha256);
            s.step();
        }
        exec("COMMIT");
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
}

std::vector<std::string> Database::unreferencedBlobs(std::int64_t before)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT sha256 FROM blobs WHERE created < ? AND NOT EXISTS (SELECT 1 FROM jobs WHERE state IN "
                "('queued', 'running') AND instr(jobs.request, blobs.sha256) > 0)");
    s.bind(1, before);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

} // namespace strata::remote
