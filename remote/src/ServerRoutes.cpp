#include "ServerImpl.h"

#include "DiskFull.h"
#include "HttpSupport.h"
#include "strata/Version.h"
#include "strata/remote/Api.h"
#include "strata/remote/Log.h"

#include <exception>

namespace strata::remote {

namespace {

/// 500 without the exception's text (it may name server paths): the text goes to the log under a reference.
void internalError(const httplib::Request& req, httplib::Response& res, const std::string& what)
{
    const std::string ref = randomHex(4);
    logEvent("error", "handler_error", {{"path", req.path}, {"message", what}, {"reference", ref}});
    sendError(res, 500, "internal", "Internal server error (reference " + ref + " in the server log).",
              {{"reference", ref}});
}

/// Wraps a handler: HttpError and strata errors become JSON errors; the server keeps serving.
template <typename F> auto guarded(F f)
{
    return [f](const httplib::Request& req, httplib::Response& res) {
        try {
            f(req, res);
        } catch (const HttpError& e) {
            sendError(res, e.status, e.code, e.what(), e.extra);
        } catch (const InvalidArgument& e) {
            sendError(res, 400, "bad_request", e.what());
        } catch (const nlohmann::json::exception& e) { // a field of the wrong type that no check named
            logEvent("warning", "bad_field_type", {{"path", req.path}, {"message", e.what()}});
            sendError(res, 400, "bad_request", "A field of the request has the wrong type or is missing.");
        } catch (const std::exception& e) {
            if (isDiskFull(e)) {
                logEvent("error", "disk_full", {{"path", req.path}, {"message", e.what()}});
                sendError(res, 507, "insufficient_storage", diskFullMessage());
                return;
            }
            internalError(req, res, e.what());
        }
    };
}

/// A guarded handler that calls `method` of `service`.
template <typename S> auto to(S& service, void (S::*method)(const httplib::Request&, httplib::Response&))
{
    return guarded([&service, method](const httplib::Request& req, httplib::Response& res) { (service.*method)(req, res); });
}

json versionJson(ServerContext& ctx, const ModelService& models)
{
    json pipelines = json::array();
    for (const auto& m : ctx.registry.manifests()) pipelines.push_back({{"id", m.id}, {"version", m.version}});
    const ServerConfig& config = ctx.config;
    return {{"server", {{"name", "strata-server"}, {"version", kVersion}}},
            {"api_version", kApiVersion},
            {"pipelines", pipelines},
            {"models", models.models()},
            {"device", ctx.devices},
            {"workers", ctx.workersAvailable()},
            {"queue", ctx.bridge ? "redis" : "sqlite"},
            {"limits",
             {{"max_upload_bytes", config.maxUploadBytes},
              {"max_input_files", config.maxInputFiles},
              {"max_chunk_bytes", config.maxChunkBytes},
              {"max_voxels", config.maxVoxels},
              {"max_queued_jobs", config.maxQueuedJobs},
              {"max_predict_bytes", config.maxPredictBytes},
              {"max_predict_pixels", config.maxPredictPixels},
              {"max_job_memory_bytes", ctx.jobMemoryBudget},
              {"max_header_bytes", config.maxHeaderBytes},
              {"max_json_body_bytes", config.maxJsonBodyBytes}}}};
}

} // namespace

void Server::Impl::routes()
{
    const std::string p = kApiPrefix;
    auto& s = *http;
    s.Get(p + "/health", guarded([this](const httplib::Request& req, httplib::Response& res) {
        (void)auth.caller(req);
        sendJson(res, 200, {{"status", "ok"}, {"queued", ctx.db->countByState("queued")},
                            {"running", ctx.db->countByState("running")}, {"workers", ctx.workersAvailable()}});
    }));
    s.Get(p + "/version", guarded([this](const httplib::Request& req, httplib::Response& res) {
        (void)auth.caller(req);
        sendJson(res, 200, versionJson(ctx, models));
    }));
    s.Get(p + "/pipelines", guarded([this](const httplib::Request& req, httplib::Response& res) {
        (void)auth.caller(req);
        json out = json::array();
        for (const auto& m : ctx.registry.manifests()) out.push_back(m.toJson());
        sendJson(res, 200, out);
    }));
    s.Get(p + "/models", guarded([this](const httplib::Request& req, httplib::Response& res) {
        (void)auth.caller(req);
        sendJson(res, 200, models.models());
    }));
    s.Post(p + "/models/([A-Za-z0-9_.-]+)/predict",
           [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
               guarded([this, &reader](const httplib::Request& rq, httplib::Response& rs) { models.predict(rq, rs, reader); })(req, res);
           });
    s.Post(p + "/uploads", to(uploads, &UploadService::start));
    s.Get(p + "/uploads/([0-9a-f]{64})", to(uploads, &UploadService::state));
    s.Put(p + "/uploads/([0-9a-f]{64})",
          [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
              try {
                  uploads.putChunk(req, res, reader);
              } catch (const HttpError& e) {
                  sendError(res, e.status, e.code, e.what(), e.extra);
              } catch (const std::exception& e) {
                  internalError(req, res, e.what());
              }
          });
    s.Post(p + "/jobs", to(jobs, &JobService::submit));
    s.Get(p + "/jobs", to(jobs, &JobService::list));
    s.Get(p + "/jobs/([0-9a-f]{16})", to(jobs, &JobService::status));
    s.Get(p + "/jobs/([0-9a-f]{16})/events", to(jobs, &JobService::streamEvents));
    s.Get(p + "/jobs/([0-9a-f]{16})/files/(.+)", to(jobs, &JobService::downloadFile));
    s.Post(p + "/jobs/([0-9a-f]{16})/cancel", to(jobs, &JobService::cancel));
    s.Delete(p + "/jobs/([0-9a-f]{16})", to(jobs, &JobService::remove));
    s.Post(p + "/cohorts", to(cohorts, &CohortService::submit));
    s.Get(p + "/cohorts", to(cohorts, &CohortService::list));
    s.Get(p + "/cohorts/([0-9a-f]{16})", to(cohorts, &CohortService::status));
    s.Get(p + "/cohorts/([0-9a-f]{16})/table", to(cohorts, &CohortService::table));
    s.Post(p + "/cohorts/([0-9a-f]{16})/cancel", to(cohorts, &CohortService::cancel));

    // Nothing is revealed without a valid token, not even which routes exist. Runs before any body is read.
    s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        auto refuse = [&res](int status, const std::string& code, const std::string& message, const json& extra) {
            res.set_header("Connection", "close"); // a body may follow unread: never reuse this connection
            sendError(res, status, code, message, extra);
            return httplib::Server::HandlerResponse::Handled;
        };
        if (const int wait = auth.retryAfterSeconds(req)) {
            res.set_header("Retry-After", std::to_string(wait));
            return refuse(429, "too_many_failures",
                          "Too many requests without a valid token from this address; try again in " +
                              std::to_string(wait) + " s.",
                          {{"retry_after_seconds", wait}});
        }
        bool ok = false;
        try {
            ok = auth.authenticate(req).has_value();
        } catch (const std::exception& e) {
            logEvent("error", "auth_error", {{"message", e.what()}});
        }
        if (!ok) {
            auth.recordFailure(req);
            res.set_header("WWW-Authenticate", "Bearer");
            return refuse(401, "unauthorized", "A valid bearer token is required.", json::object());
        }
        // Refuse a body that is too large from its declared length, before httplib reads (or skips) it.
        if (req.method != "PUT" && req.has_header("Content-Length")) {
            const bool predictRoute = req.path.ends_with("/predict");
            const std::uint64_t max = predictRoute ? ctx.config.maxPredictBytes : ctx.config.maxJsonBodyBytes;
            const std::string declared = req.get_header_value("Content-Length");
            const bool numeric = !declared.empty() && declared.size() <= 19 &&
                                 declared.find_first_not_of("0123456789") == std::string::npos;
            if (!numeric || std::stoull(declared) > max) {
                return refuse(413, "limit_exceeded",
                              "The request body may hold at most " + std::to_string(max) + " bytes.",
                              {{"limit", predictRoute ? "max_predict_bytes" : "max_json_body_bytes"}, {"max", max}});
            }
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return;
        if (res.status == 413) {
            sendError(res, 413, "limit_exceeded", "The request body is too large.", {{"limit", "max_request_bytes"}});
        } else if (res.status == 404) {
            sendError(res, 404, "not_found", "No such route in API v1.");
        } else {
            sendError(res, res.status, "http_error", "HTTP error " + std::to_string(res.status) + ".");
        }
    });
    s.set_exception_handler([](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
            std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            what = e.what();
        } catch (...) {
        }
        internalError(req, res, what);
    });
    s.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        if (req.path.ends_with("/health")) return; // pollers
        logEvent(res.status >= 500 ? "error" : "info", "request",
                 {{"method", req.method}, {"path", req.path}, {"status", res.status}, {"remote", auth.clientAddress(req)}});
    });
}

} // namespace strata::remote
