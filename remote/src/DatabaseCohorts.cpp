#include "strata/remote/Database.h"

#include "SqliteStatement.h"

namespace strata::remote {

using nlohmann::json;

void Database::insertCohort(const CohortRecord& c, const std::vector<JobRecord>& jobs)
{
    std::lock_guard lock(mutex_);
    exec("BEGIN IMMEDIATE");
    try {
        {
            Stmt s(db_, "INSERT INTO cohorts(id, owner, pipeline, cases, created) VALUES(?, ?, ?, ?, ?)");
            s.bind(1, c.id).bind(2, c.owner).bind(3, c.pipeline).bind(4, c.cases.dump()).bind(5, c.created);
            s.step();
        }
        for (const auto& job : jobs) insertJob(job);
        exec("COMMIT");
    } catch (...) {
        try {
            exec("ROLLBACK");
        } catch (const std::exception&) { // SQLite rolled back already (a full disk ends the transaction itself)
        }
        throw;
    }
}

namespace {

CohortRecord readCohort(const Stmt& s)
{
    CohortRecord c;
    c.id = s.text(0);
    c.owner = s.text(1);
    c.pipeline = s.text(2);
    c.cases = json::parse(s.text(3), nullptr, false);
    if (!c.cases.is_array()) c.cases = json::array();
    c.created = s.integer(4);
    return c;
}

} // namespace

std::optional<CohortRecord> Database::cohort(const std::string& id)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT id, owner, pipeline, cases, created FROM cohorts WHERE id = ?");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return readCohort(s);
}

std::vector<CohortRecord> Database::cohorts(const std::string& owner, int limit)
{
    std::lock_guard lock(mutex_);
    Stmt s(db_, "SELECT id, owner, pipeline, cases, created FROM cohorts WHERE (? = '' OR owner = ?) ORDER BY seq DESC LIMIT ?");
    s.bind(1, owner).bind(2, owner).bind(3, std::int64_t{limit});
    std::vector<CohortRecord> out;
    while (s.step()) out.push_back(readCohort(s));
    return out;
}

} // namespace strata::remote
