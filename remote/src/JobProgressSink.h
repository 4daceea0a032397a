#pragma once

#include "DiskFull.h"
#include "HttpSupport.h"
#include "ProgressHub.h"
#include "strata/pipeline/ProgressSink.h"
#include "strata/remote/Database.h"

#include <chrono>
#include <string>

namespace strata::remote {

/// Forwards a running job's progress to the hub (every event) and the store (at most once a second).
class JobProgressSink : public pipeline::ProgressSink {
public:
    JobProgressSink(std::string id, ProgressHub& hub, Database& db) : id_(std::move(id)), hub_(hub), db_(db) {}
    void progress(const pipeline::ProgressEvent& event) override
    {
        json p = progressJson(event);
        hub_.publish(id_, {{"type", "progress"}, {"state", "running"}, {"progress", p}}, false);
        const auto now = std::chrono::steady_clock::now();
        if (now - lastWrite_ > std::chrono::seconds(1)) {
            lastWrite_ = now;
            try {
                db_.setProgress(id_, p);
            } catch (const std::exception& e) { // a full disk: the stored progress waits, the job goes on
                if (!isDiskFull(e)) throw;
            }
        }
    }

private:
    std::string id_;
    ProgressHub& hub_;
    Database& db_;
    std::chrono::steady_clock::time_point lastWrite_{};
};

} // namespace strata::remote
