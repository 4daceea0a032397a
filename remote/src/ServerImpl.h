#pragma once

// Server::Impl: the shared context and the services, and the HTTP server that routes requests to them.
//   ServerContext.h   configuration, store, queue, progress hub, the data folder's layout
//   AuthService       tokens, anonymous loopback callers, client addresses, the throttle of bad tokens
//   UploadService     resumable uploads, the blob store, the disk quota, expiry of blobs and partial uploads
//   JobService        submit, list, status, events, files, cancel, delete, retention (JobInputChecks.cpp,
//                     JobStreams.cpp)
//   CohortService     job groups (cohorts)
//   WorkerService     the in-process workers that run jobs
//   ModelService      the model list and the synchronous predict endpoint
// Server.cpp starts and stops them; ServerRoutes.cpp is the table of routes (and the checks before any route).
#include "AuthService.h"
#include "CohortService.h"
#include "GuardedHttpServer.h"
#include "JobService.h"
#include "ModelService.h"
#include "ServerContext.h"
#include "UploadService.h"
#include "WorkerService.h"
#include "strata/remote/Server.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace strata::remote {

struct Server::Impl {
    Impl(ServerConfig c, const pipeline::PipelineRegistry& r)
        : ctx(std::move(c), r), auth(ctx), uploads(ctx, auth, [this](std::uint64_t extra) { jobs.enforceQuota(extra); }),
          workers(ctx, uploads), jobs(ctx, auth, uploads, workers), cohorts(ctx, auth, jobs), models(ctx, auth)
    {
    }

    ServerContext ctx;
    AuthService auth;
    UploadService uploads;
    WorkerService workers;
    JobService jobs;
    CohortService cohorts;
    ModelService models;
    std::unique_ptr<GuardedHttpServer> http;
    std::string adminToken;
    int boundPort{0};
    std::jthread janitor;
    std::thread listener;
    std::atomic<bool> listenerDone{false};

    /// Puts the routes (ServerRoutes.cpp) on `http`.
    void routes();
};

} // namespace strata::remote
