#include "JobService.h"

#include "HttpSupport.h"

#include <chrono>
#include <fstream>
#include <memory>
#include <vector>

namespace strata::remote {

using Clock = std::chrono::steady_clock;

void JobService::streamEvents(const httplib::Request& req, httplib::Response& res)
{
    const JobRecord job = ownedJob(req, req.matches[1]);
    struct StreamState {
        bool sentStatus{false};
        std::uint64_t seen{0};
        Clock::time_point lastDbCheck{Clock::now()};
    };
    auto st = std::make_shared<StreamState>();
    const std::string id = job.id;
    res.set_header("Cache-Control", "no-cache");
    res.set_header("X-Accel-Buffering", "no");
    res.set_chunked_content_provider("text/event-stream", [this, st, id](size_t, httplib::DataSink& sink) {
        auto send = [&](const std::string& event, const json& data) {
            const std::string text = "event: " + event + "\ndata: " + data.dump() + "\n\n";
            return sink.write(text.data(), text.size());
        };
        if (ctx_.shuttingDown) {
            sink.done();
            return true;
        }
        if (!st->sentStatus) {
            st->sentStatus = true;
            auto j = ctx_.db->job(id);
            if (!j) {
                sink.done();
                return true;
            }
            if (auto snap = ctx_.hub.latest(id)) st->seen = snap->seq;
            if (!send("status", jobJson(*j))) return false;
            if (j->terminal()) sink.done();
            return true;
        }
        auto snap = ctx_.hub.wait(id, st->seen, std::chrono::milliseconds(1000));
        if (snap.seq != st->seen) {
            st->seen = snap.seq;
            if (snap.terminal) {
                auto j = ctx_.db->job(id);
                if (j && !send("status", jobJson(*j))) return false;
                sink.done();
                return true;
            }
            if (!snap.event.contains("progress")) { // a state change (queued -> running)
                auto j = ctx_.db->job(id);
                return j ? send("status", jobJson(*j)) : true;
            }
            return send("progress", snap.event["progress"]);
        }
        if (Clock::now() - st->lastDbCheck > std::chrono::seconds(2)) {
            st->lastDbCheck = Clock::now();
            auto j = ctx_.db->job(id);
            if (!j || j->terminal()) {
                if (j && !send("status", jobJson(*j))) return false;
                sink.done();
                return true;
            }
        }
        const std::string ping = ": keep-alive\n\n";
        return sink.write(ping.data(), ping.size());
    });
}

void JobService::downloadFile(const httplib::Request& req, httplib::Response& res)
{
    const JobRecord job = ownedJob(req, req.matches[1]);
    const std::string path = req.matches[2];
    if (job.state != "succeeded") {
        throw HttpError(409, "job_not_finished", "Job " + job.id + " is " + job.state + "; it has no results.");
    }
    for (const auto& f : job.files) {
        if (f.value("path", "") != path) continue;
        const fs::path file = ctx_.bundleDir(job.id) / fs::path(path); // a path from our own listing, never the URL
        auto in = std::make_shared<std::ifstream>(file, std::ios::binary);
        if (!*in) throw HttpError(410, "gone", "The result file is no longer on the server.");
        const std::uint64_t size = f.value("size", 0ull);
        res.set_header("X-Content-SHA256", f.value("sha256", ""));
        res.set_content_provider(size, "application/octet-stream",
                                 [in](size_t offset, size_t length, httplib::DataSink& sink) {
                                     std::vector<char> buf(std::min<size_t>(length, 1 << 20));
                                     in->seekg(static_cast<std::streamoff>(offset));
                                     in->read(buf.data(), static_cast<std::streamsize>(buf.size()));
                                     const auto n = in->gcount();
                                     return n > 0 && sink.write(buf.data(), static_cast<size_t>(n));
                                 });
        return;
    }
    throw HttpError(404, "unknown_file", "Job " + job.id + " has no file '" + path + "'.");
}

} // namespace strata::remote
