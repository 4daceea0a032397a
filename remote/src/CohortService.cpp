#include "CohortService.h"

#include "HttpSupport.h"
#include "strata/remote/Log.h"

#include "strata/cohort/CohortManifest.h"
#include "strata/cohort/CohortTable.h"

#include <set>

namespace strata::remote {

namespace {

std::string caseLabel(std::size_t index, const std::string& subject, const std::string& timepoint)
{
    return "Case " + std::to_string(index + 1) + (subject.empty() ? std::string() : " (" + subject + "/" + timepoint + ")");
}

} // namespace

void CohortService::submit(const httplib::Request& req, httplib::Response& res)
{
    const Caller c = auth_.caller(req);
    const json body = parseBody(req);
    if (!body.contains("cases") || !body["cases"].is_array() || body["cases"].empty()) {
        throw HttpError(400, "bad_request", "'cases' must be a non-empty list of {subject, timepoint, inputs}.",
                        {{"field", "cases"}});
    }
    const json& cases = body["cases"];
    jobs_.checkQueueRoom(cases.size());

    CohortRecord cohort;
    cohort.id = randomHex(8);
    cohort.owner = c.tokenId;
    cohort.pipeline = stringField(body, "pipeline", "");
    cohort.created = unixNow();
    std::vector<JobRecord> jobs;
    std::set<std::pair<std::string, std::string>> seen;
    const auto discard = [&] {
        std::error_code ec;
        for (const auto& j : jobs) fs::remove_all(ctx_.jobDir(j.id), ec);
    };
    for (std::size_t i = 0; i < cases.size(); ++i) {
        const json& item = cases[i];
        const std::string subject = item.is_object() && item.contains("subject") && item["subject"].is_string() ? item["subject"].get<std::string>() : "";
        const std::string timepoint =
            item.is_object() && item.contains("timepoint") && item["timepoint"].is_string() ? item["timepoint"].get<std::string>() : "";
        try {
            if (!item.is_object() || !cohort::CohortManifest::isSafeName(subject) || !cohort::CohortManifest::isSafeName(timepoint)) {
                throw HttpError(400, "bad_request",
                                "'subject' and 'timepoint' must be 1-128 letters, digits, '.', '_' or '-' (they name the "
                                "case's folder).",
                                {{"field", "cases[].subject"}});
            }
            if (!seen.emplace(subject, timepoint).second) {
                throw HttpError(400, "bad_request", "This subject and timepoint are given twice.", {{"field", "cases[]"}});
            }
            json jobBody = body;
            jobBody.erase("cases");
            jobBody["inputs"] = item.value("inputs", json::object());
            JobRecord job = jobs_.prepareJob(c, jobBody);
            job.request["cohort"] = {{"id", cohort.id}, {"subject", subject}, {"timepoint", timepoint}};
            cohort.cases.push_back({{"subject", subject}, {"timepoint", timepoint}, {"job", job.id}});
            jobs.push_back(std::move(job));
        } catch (HttpError& e) {
            discard();
            json extra = e.extra;
            extra["case"] = i;
            if (!subject.empty()) extra["subject"] = subject;
            if (!timepoint.empty()) extra["timepoint"] = timepoint;
            throw HttpError(e.status, e.code, caseLabel(i, subject, timepoint) + ": " + e.what() + " Nothing was queued.",
                            extra);
        } catch (...) {
            discard();
            throw;
        }
    }
    try { // the cohort and its jobs, all or none: a crash or a full disk between them left a cohort of missing jobs
        ctx_.db->insertCohort(cohort, jobs);
    } catch (...) { // not stored (e.g. a full disk: 507): its cases' input folders go too
        discard();
        throw;
    }
    for (const auto& job : jobs) jobs_.queueStoredJob(job);
    logEvent("info", "cohort_submitted", {{"cohort", cohort.id}, {"pipeline", cohort.pipeline}, {"cases", jobs.size()}, {"owner", c.tokenId}});
    sendJson(res, 202, cohortJson(cohort));
}

void CohortService::list(const httplib::Request& req, httplib::Response& res)
{
    const Caller c = auth_.caller(req);
    json out = json::array();
    for (const auto& cohort : ctx_.db->cohorts(c.admin ? "" : c.tokenId, 100)) out.push_back(cohortJson(cohort));
    sendJson(res, 200, out);
}

void CohortService::status(const httplib::Request& req, httplib::Response& res)
{
    sendJson(res, 200, cohortJson(ownedCohort(req, req.matches[1])));
}

void CohortService::table(const httplib::Request& req, httplib::Response& res)
{
    res.status = 200;
    res.set_content(cohortTable(ownedCohort(req, req.matches[1])), "text/csv");
}

CohortRecord CohortService::ownedCohort(const httplib::Request& req, const std::string& id)
{
    const Caller c = auth_.caller(req);
    auto cohort = ctx_.db->cohort(id);
    if (!cohort || (!c.admin && cohort->owner != c.tokenId)) {
        throw HttpError(404, "not_found", "No cohort " + id + ".");
    }
    return *cohort;
}

json CohortService::cohortJson(const CohortRecord& cohort)
{
    json cases = json::array();
    json counts = {{"queued", 0}, {"running", 0}, {"succeeded", 0}, {"failed", 0}, {"cancelled", 0}, {"deleted", 0}};
    std::size_t finished = 0;
    for (const auto& item : cohort.cases) {
        json row = {{"subject", item.value("subject", "")}, {"timepoint", item.value("timepoint", "")}, {"job", item.value("job", "")}};
        const auto job = ctx_.db->job(item.value("job", ""));
        if (!job) {
            row["state"] = "deleted";
            ++finished;
        } else {
            const json j = jobs_.jobJson(*job);
            row["state"] = job->state;
            if (!job->message.empty()) row["message"] = job->message;
            if (j.contains("progress") && !j["progress"].empty()) row["progress"] = j["progress"];
            if (job->terminal()) ++finished;
        }
        counts[row["state"].get<std::string>()] = counts.value(row["state"].get<std::string>(), 0) + 1;
        cases.push_back(std::move(row));
    }
    return {{"id", cohort.id},       {"pipeline", cohort.pipeline}, {"created", cohort.created}, {"cases", std::move(cases)},
            {"counts", counts},      {"finished", finished == cohort.cases.size()}};
}

std::string CohortService::cohortTable(const CohortRecord& cohort)
{
    std::string out = cohort::CohortTable::kHeader;
    for (const auto& item : cohort.cases) {
        const auto job = ctx_.db->job(item.value("job", ""));
        if (!job || job->state != "succeeded") continue;
        const fs::path metrics = ctx_.bundleDir(job->id) / "metrics.json";
        if (!fs::exists(metrics)) continue;
        try {
            const json m = readJsonFile(metrics);
            out += cohort::CohortTable::csvLines(item.value("subject", ""), item.value("timepoint", ""),
                                                 cohort::CohortTable::rowsFromMetrics(m));
        } catch (const std::exception& e) { // a damaged bundle costs its own rows only
            logEvent("warning", "cohort_table_case_skipped", {{"cohort", cohort.id}, {"job", job->id}, {"message", e.what()}});
        }
    }
    return out;
}

void CohortService::cancel(const httplib::Request& req, httplib::Response& res)
{
    const CohortRecord cohort = ownedCohort(req, req.matches[1]);
    for (const auto& item : cohort.cases) {
        const auto job = ctx_.db->job(item.value("job", ""));
        if (job && !job->terminal()) jobs_.requestJobCancel(*job);
    }
    logEvent("info", "cohort_cancel", {{"cohort", cohort.id}});
    sendJson(res, 202, cohortJson(cohort));
}

} // namespace strata::remote
