#include "ServerImpl.h"

namespace strata::remote {

json Server::Impl::versionJson()
{
    json models = json::array();
    try {
        const fs::path root = findModelDir("knee").parent_path();
        for (const auto& e : fs::directory_iterator(root)) {
            if (!fs::exists(e.path() / "model.json")) continue;
            try {
                const auto card = inference::ModelCard::load(e.path());
                models.push_back({{"name", card.name}, {"version", card.version}, {"task", card.task},
                                  {"sha256", card.sha256}});
            } catch (const std::exception&) {
            }
        }
    } catch (const std::exception&) {
    }
    json pipelines = json::array();
    for (const auto& m : registry.manifests()) pipelines.push_back({{"id", m.id}, {"version", m.version}});
    return {{"server", {{"name", "strata-server"}, {"version", kVersion}}},
            {"api_version", kApiVersion},
            {"pipelines", pipelines},
            {"models", models},
            {"device", devices},
            {"workers", workersAvailable()},
            {"queue", bridge ? "redis" : "sqlite"},
            {"limits",
             {{"max_upload_bytes", config.maxUploadBytes},
              {"max_input_files", config.maxInputFiles},
              {"max_chunk_bytes", config.maxChunkBytes},
              {"max_voxels", config.maxVoxels},
              {"max_queued_jobs", config.maxQueuedJobs},
              {"max_predict_bytes", config.maxPredictBytes},
              {"max_predict_pixels", config.maxPredictPixels},
              {"max_job_memory_bytes", jobMemoryBudget},
              {"max_header_bytes", config.maxHeaderBytes},
              {"max_json_body_bytes", config.maxJsonBodyBytes}}}};
}

void Server::Impl::routes()
{
    const std::string p = kApiPrefix;
    auto& s = *http;
    s.Get(p + "/health", guarded([this](const httplib::Request& req, httplib::Response& res) {
        caller(req);
        sendJson(res, 200, {{"status", "ok"}, {"queued", db->countByState("queued")},
                            {"running", db->countByState("running")}, {"workers", workersAvailable()}});
    }));
    s.Get(p + "/version", guarded([this](const httplib::Request& req, httplib::Response& res) {
        caller(req);
        sendJson(res, 200, versionJson());
    }));
    s.Get(p + "/pipelines", guarded([this](const httplib::Request& req, httplib::Response& res) {
        caller(req);
        json out = json::array();
        for (const auto& m : registry.manifests()) out.push_back(m.toJson());
        sendJson(res, 200, out);
    }));
    s.Get(p + "/models", guarded([this](const httplib::Request& req, httplib::Response& res) {
        caller(req);
        sendJson(res, 200, versionJson()["models"]);
    }));
    s.Post(p + "/models/([A-Za-z0-9_.-]+)/predict",
           [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
               guarded([this, &reader](const httplib::Request& rq, httplib::Response& rs) { predict(rq, rs, reader); })(req, res);
           });
    s.Post(p + "/uploads", guarded([this](const httplib::Request& req, httplib::Response& res) { startUpload(req, res); }));
    s.Get(p + "/uploads/([0-9a-f]{64})", guarded([this](const httplib::Request& req, httplib::Response& res) {
        sendJson(res, 200, uploadState(caller(req), req.matches[1]));
    }));
    s.Put(p + "/uploads/([0-9a-f]{64})",
          [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
              try {
                  putChunk(req, res, reader);
              } catch (const HttpError& e) {
                  sendError(res, e.status, e.code, e.what(), e.extra);
              } catch (const std::exception& e) {
                  internalError(req, res, e.what());
              }
          });
    s.Post(p + "/jobs", guarded([this](const httplib::Request& req, httplib::Response& res) { submitJob(req, res); }));
    s.Get(p + "/jobs", guarded([this](const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req);
        int limit = 100;
        if (req.has_param("limit")) limit = std::clamp(std::atoi(req.get_param_value("limit").c_str()), 1, 10000);
        json out = json::array();
        for (const auto& j : db->jobs(c.admin ? "" : c.tokenId, limit)) {
            json item = jobJson(j);
            // A folder input (a DICOM series) lists its files in the job's own view only: here its file count.
            for (auto& [port, input] : item["inputs"].items()) {
                if (input.is_object() && input.contains("files") && input["files"].is_array()) {
                    input["file_count"] = input["files"].size();
                    input.erase("files");
                }
            }
            out.push_back(std::move(item));
        }
        sendJson(res, 200, out);
    }));
    s.Get(p + "/jobs/([0-9a-f]{16})", guarded([this](const httplib::Request& req, httplib::Response& res) {
        sendJson(res, 200, jobJson(ownedJob(req, req.matches[1])));
    }));
    s.Get(p + "/jobs/([0-9a-f]{16})/events",
          guarded([this](const httplib::Request& req, httplib::Response& res) { streamEvents(req, res); }));
    s.Get(p + "/jobs/([0-9a-f]{16})/files/(.+)",
          guarded([this](const httplib::Request& req, httplib::Response& res) { downloadFile(req, res); }));
    s.Post(p + "/jobs/([0-9a-f]{16})/cancel",
           guarded([this](const httplib::Request& req, httplib::Response& res) { cancelJob(req, res); }));
    s.Delete(p + "/jobs/([0-9a-f]{16})",
             guarded([this](const httplib::Request& req, httplib::Response& res) { deleteJob(req, res); }));
    s.Post(p + "/cohorts", guarded([this](const httplib::Request& req, httplib::Response& res) { submitCohort(req, res); }));
    s.Get(p + "/cohorts", guarded([this](const httplib::Request& req, httplib::Response& res) {
        const Caller c = caller(req);
        json out = json::array();
        for (const auto& cohort : db->cohorts(c.admin ? "" : c.tokenId, 100)) out.push_back(cohortJson(cohort));
        sendJson(res, 200, out);
    }));
    s.Get(p + "/cohorts/([0-9a-f]{16})", guarded([this](const httplib::Request& req, httplib::Response& res) {
        sendJson(res, 200, cohortJson(ownedCohort(req, req.matches[1])));
    }));
    s.Get(p + "/cohorts/([0-9a-f]{16})/table", guarded([this](const httplib::Request& req, httplib::Response& res) {
        res.status = 200;
        res.set_content(cohortTable(ownedCohort(req, req.matches[1])), "text/csv");
    }));
    s.Post(p + "/cohorts/([0-9a-f]{16})/cancel",
           guarded([this](const httplib::Request& req, httplib::Response& res) { cancelCohort(req, res); }));

    // Nothing is revealed without a valid token, not even which routes exist. Runs before any body is read.
    s.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        auto refuse = [&res](int status, const std::string& code, const std::string& message, const json& extra) {
            res.set_header("Connection", "close"); // a body may follow unread: never reuse this connection
            sendError(res, status, code, message, extra);
            return httplib::Server::HandlerResponse::Handled;
        };
        if (const int wait = authThrottle.retryAfterSeconds(clientAddress(req))) {
            res.set_header("Retry-After", std::to_string(wait));
            return refuse(429, "too_many_failures",
                          "Too many requests without a valid token from this address; try again in " +
                              std::to_string(wait) + " s.",
                          {{"retry_after_seconds", wait}});
        }
        bool ok = false;
        try {
            ok = authenticate(req).has_value();
        } catch (const std::exception& e) {
            logEvent("error", "auth_error", {{"message", e.what()}});
        }
        if (!ok) {
            authThrottle.failed(clientAddress(req));
            res.set_header("WWW-Authenticate", "Bearer");
            return refuse(401, "unauthorized", "A valid bearer token is required.", json::object());
        }
        // Refuse a body that is too large from its declared length, before httplib reads (or skips) it.
        if (req.method != "PUT" && req.has_header("Content-Length")) {
            const bool predictRoute = req.path.ends_with("/predict");
            const std::uint64_t max = predictRoute ? config.maxPredictBytes : config.maxJsonBodyBytes;
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
                 {{"method", req.method}, {"path", req.path}, {"status", res.status}, {"remote", clientAddress(req)}});
    });
}

} // namespace strata::remote
