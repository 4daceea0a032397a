#pragma once

#include "AuthService.h"
#include "JobService.h"
#include "ServerContext.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <string>

namespace strata::remote {

/// Cohorts: a group of cases submitted together (all or nothing), each an ordinary job of JobService; their
/// states and progress as one list, the group's table of measurements, and cancelling the whole group.
class CohortService {
public:
    CohortService(ServerContext& ctx, AuthService& auth, JobService& jobs) : ctx_(ctx), auth_(auth), jobs_(jobs) {}

    /// POST /cohorts: {"pipeline", "parameters", "device", "threads", "cases": [{"subject", "timepoint",
    /// "inputs"}]}: every case checked as a job first, then all queued as one group (all or nothing).
    void submit(const httplib::Request& req, httplib::Response& res);
    /// GET /cohorts: the caller's groups (admins: all), newest first, at most 100.
    void list(const httplib::Request& req, httplib::Response& res);
    /// GET /cohorts/{id}.
    void status(const httplib::Request& req, httplib::Response& res);
    /// GET /cohorts/{id}/table: cohort.csv of the finished cases (subject,timepoint,structure,region,measure,value,unit).
    void table(const httplib::Request& req, httplib::Response& res);
    /// POST /cohorts/{id}/cancel: every case that is not finished yet.
    void cancel(const httplib::Request& req, httplib::Response& res);

private:
    /// The caller's cohort (admins: any), else 404.
    [[nodiscard]] CohortRecord ownedCohort(const httplib::Request& req, const std::string& id);
    /// The group with each case's job state, message and progress, and counts per state.
    [[nodiscard]] nlohmann::json cohortJson(const CohortRecord& cohort);
    [[nodiscard]] std::string cohortTable(const CohortRecord& cohort);

    ServerContext& ctx_;
    AuthService& auth_;
    JobService& jobs_;
};

} // namespace strata::remote
