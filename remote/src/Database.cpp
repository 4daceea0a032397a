#include "strata/remote/Database.h"

#include "strata/Error.h"

#include "SqliteStatement.h"

#include <openssl/rand.h>
#include <sqlite3.h>

#include <chrono>

namespace strata::remote {

using nlohmann::json;

std::string randomHex(std::size_t bytes)
{
    std::vector<unsigned char> buf(bytes);
    if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) {
        throw Error("The system's random number generator failed.");
    }
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : buf) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

std::int64_t unixNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

json JobRecord::toJson() const
{
    json out{{"id", id},
             {"pipeline", pipeline},
             {"state", state},
             {"message", message},
             {"progress", progress},
             {"attempts", attempts},
             {"cancel_requested", cancelRequested},
             {"created", created},
             {"parameters", request.value("parameters", json::object())},
             {"inputs", request.value("inputs", json::object())}};
    if (started) out["started"] = started;
    if (finished) out["finished"] = finished;
    if (state == "succeeded") out["files"] = files;
    return out;
}

namespace {

constexpr const char* kJobColumns =
    "id, owner, pipeline, state, message, request, progress, files, attempts, cancel_requested, created, started, finished";

JobRecord readJob(const Stmt& s)
{
    JobRecord j;
    j.id = s.text(0);
    j.owner = s.text(1);
    j.pipeline = s.text(2);
    j.state = s.text(3);
    j.message = s.text(4);
    j.request = json::parse(s.text(5), nullptr, false);
    j.progress = json::parse(s.text(6), nullptr, false);
    j.files = json::parse(s.text(7), nullptr, false);
    if (j.progress.is_discarded()) j.progress = json::object();
    if (j.files.is_discarded()) j.files = json::array();
    j.attempts = static_cast<int>(s.integer(8));
    j.cancelRequested = s.integer(9) != 0;
    j.created = s.integer(10);
    j.started = s.integer(11);
    j.finished = s.integer(12);
    return j;
}

} // namespace

Database::Database(const std::filesystem::path& file)
{
    std::error_code ec;
    std::filesystem::create_directories(file.parent_path(), ec);
    if (sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw IoError("Cannot open the job store '" + file.string() + "': " + why + ".");
    }
    sqlite3_busy_timeout(db_, 10000);
    exec("PRAGMA journal_mode=WAL");
    exec("PRAGMA synchronous=NORMAL");
    exec("CREATE TABLE IF NOT EXISTS tokens(id TEXT PRIMARY KEY, name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE, "
         "admin INTEGER NOT NULL DEFAULT 0, revoked INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL, "
         "last_used INTEGER NOT NULL DEFAULT 0)");
    exec("CREATE TABLE IF NOT EXISTS blobs(sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL, created INTEGER NOT NULL)");
    const bool ownersExisted = hasTable("blob_owners");
    exec("CREATE TABLE IF NOT EXISTS blob_owners(sha256 TEXT NOT NULL, owner TEXT NOT NULL, created INTEGER NOT NULL, "
         "PRIMARY KEY(sha256, owner))");
    exec("CREATE TABLE IF NOT EXISTS jobs(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, "
         "owner TEXT NOT NULL, pipeline TEXT NOT NULL, state TEXT NOT NULL, message TEXT NOT NULL DEFAULT '', "
         "request TEXT NOT NULL, progress TEXT NOT NULL DEFAULT '{}', files TEXT NOT NULL DEFAULT '[]', "
         "attempts INTEGER NOT NULL DEFAULT 0, cancel_requested INTEGER NOT NULL DEFAULT 0, created INTEGER NOT NULL, "
         "started INTEGER NOT NULL DEFAULT 0, finished INTEGER NOT NULL DEFAULT 0)");
    exec("CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state)");
    exec("CREATE TABLE IF NOT EXISTS cohorts(seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, "
         "owner TEXT NOT NULL, pipeline TEXT NOT NULL, cases TEXT NOT NULL, created INTEGER NOT NULL)");
    if (!ownersExisted) {
        // A store from before blobs had owners: a blob belongs to the tokens whose jobs used it. A blob no job
        // names belongs to nobody (no token sees it) until a token uploads the same bytes again.
        exec("INSERT OR IGNORE INTO blob_owners(sha256, owner, created) SELECT DISTINCT b.sha256, j.owner, b.created "
             "FROM blobs b JOIN jobs j ON instr(j.request, b.sha256) > 0");
    }
}

Database::~Database()
{
    sqlite3_close(db_);
}

bool Database::hasTable(const std::string& name)
{
    Stmt s(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?");
    s.bind(1, name);
    return s.step();
}

void Database::exec(const std::string& sql)
{
    char* err = nullptr;
    if (const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err); rc != SQLITE_OK) {
        sqlite3_free(err);
        throwFailure(db_, rc, "'" + sql.substr(0, 40) + "...' failed");
    }
}

void Database::insertJob(const JobRecord& j)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "INSERT INTO jobs(id, owner, pipeline, state, message, request, created) VALUES(?, ?, ?, ?, ?, ?, ?)");
    s.bind(1, j.id).bind(2, j.owner).bind(3, j.pipeline).bind(4, j.state).bind(5, j.message).bind(6, j.request.dump());
    s.bind(7, j.created);
    s.step();
}

std::optional<JobRecord> Database::job(const std::string& id)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, (std::string("SELECT ") + kJobColumns + " FROM jobs WHERE id = ?").c_str());
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return readJob(s);
}

std::vector<JobRecord> Database::jobs(const std::string& owner, int limit)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, (std::string("SELECT ") + kJobColumns + " FROM jobs WHERE (? = '' OR owner = ?) ORDER BY seq DESC LIMIT ?")
                    .c_str());
    s.bind(1, owner).bind(2, owner).bind(3, std::int64_t{limit});
    std::vector<JobRecord> out;
    while (s.step()) out.push_back(readJob(s));
    return out;
}

std::optional<JobRecord> Database::claimNextQueued()
{
    std::lock_guard lock(mutex_);
    exec("BEGIN IMMEDIATE");
    try {
        std::string id;
        {
            Stmt s(db_, "SELECT j.id FROM jobs j WHERE j.state = 'queued' ORDER BY "
                        "(SELECT COUNT(*) FROM jobs r WHERE r.state = 'running' AND r.owner = j.owner), j.seq LIMIT 1");
            if (s.step()) id = s.text(0);
        }
        if (!id.empty()) {
            Stmt u(db_, "UPDATE jobs SET state = 'running', started = ?, attempts = attempts + 1 WHERE id = ?");
            u.bind(1, unixNow()).bind(2, id);
            u.step();
        }
        exec("COMMIT");
        if (id.empty()) return std::nullopt;
        return job(id);
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
}

void Database::setProgress(const std::string& id, const json& progress)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "UPDATE jobs SET progress = ? WHERE id = ?");
    s.bind(1, progress.dump()).bind(2, id);
    s.step();
}

void Database::finishJob(const std::string& id, const std::string& state, const std::string& message, const json& files)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "UPDATE jobs SET state = ?, message = ?, files = ?, finished = ? WHERE id = ?");
    s.bind(1, state).bind(2, message).bind(3, files.dump()).bind(4, unixNow()).bind(5, id);
    s.step();
}

std::string Database::requestCancel(const std::string& id)
{
    std::lock_guard lock(mutex_);
    {
        Stmt s(db_, "UPDATE jobs SET cancel_requested = 1 WHERE id = ? AND state IN ('queued', 'running')");
        s.bind(1, id);
        s.step();
    }
    {
        Stmt s(db_, "UPDATE jobs SET state = 'cancelled', message = 'Cancelled before it started.', finished = ? "
                    "WHERE id = ? AND state = 'queued'");
        s.bind(1, unixNow()).bind(2, id);
        s.step();
    }
    auto j = job(id);
    return j ? j->state : "";
}

std::vector<std::string> Database::requeueInterrupted(int maxAttempts)
{
    std::lock_guard lock(mutex_);
    exec("BEGIN IMMEDIATE");
    std::vector<std::string> requeued;
    try {
        {
            Stmt s(db_, "UPDATE jobs SET state = 'cancelled', message = 'Cancelled (the server stopped while it ran).', "
                        "finished = ? WHERE state = 'running' AND cancel_requested = 1");
            s.bind(1, unixNow());
            s.step();
        }
        {
            Stmt s(db_, "UPDATE jobs SET state = 'failed', message = 'The server stopped during each of its ' || "
                        "attempts || ' runs; not retried.', finished = ? WHERE state = 'running' AND attempts >= ?");
            s.bind(1, unixNow()).bind(2, std::int64_t{maxAttempts});
            s.step();
        }
        {
            Stmt s(db_, "SELECT id FROM jobs WHERE state = 'running'");
            while (s.step()) requeued.push_back(s.text(0));
        }
        exec("UPDATE jobs SET state = 'queued', progress = '{}' WHERE state = 'running'");
        exec("COMMIT");
    } catch (...) {
        exec("ROLLBACK");
        throw;
    }
    return requeued;
}

int Database::countByState(const std::string& state)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT COUNT(*) FROM jobs WHERE state = ?");
    s.bind(1, state);
    s.step();
    return static_cast<int>(s.integer(0));
}

std::vector<JobRecord> Database::activeJobs()
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, (std::string("SELECT ") + kJobColumns + " FROM jobs WHERE state IN ('queued', 'running') ORDER BY seq")
                    .c_str());
    std::vector<JobRecord> out;
    while (s.step()) out.push_back(readJob(s));
    return out;
}

bool Database::markStarted(const std::string& id, int attempt)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "UPDATE jobs SET state = 'running', started = ?, attempts = MAX(attempts, ?) "
                "WHERE id = ? AND state IN ('queued', 'running')");
    s.bind(1, unixNow()).bind(2, std::int64_t{attempt}).bind(3, id);
    s.step();
    return sqlite3_changes(db_) > 0;
}

bool Database::finishActiveJob(const std::string& id, const std::string& state, const std::string& message,
                               const json& files, int attempts)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "UPDATE jobs SET state = ?, message = ?, files = ?, finished = ?, attempts = MAX(attempts, ?), "
                "started = CASE WHEN started = 0 THEN ? ELSE started END WHERE id = ? AND state IN ('queued', 'running')");
    const auto now = unixNow();
    s.bind(1, state).bind(2, message).bind(3, files.dump()).bind(4, now).bind(5, std::int64_t{attempts}).bind(6, now);
    s.bind(7, id);
    s.step();
    return sqlite3_changes(db_) > 0;
}

void Database::deleteJob(const std::string& id)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "DELETE FROM jobs WHERE id = ?");
    s.bind(1, id);
    s.step();
}

std::vector<std::string> Database::finishedJobs(std::int64_t before)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT id FROM jobs WHERE state IN ('succeeded', 'failed', 'cancelled') AND (? = 0 OR finished < ?) "
                "ORDER BY finished, seq");
    s.bind(1, before).bind(2, before);
    std::vector<std::string> out;
    while (s.step()) out.push_back(s.text(0));
    return out;
}

} // namespace strata::remote
