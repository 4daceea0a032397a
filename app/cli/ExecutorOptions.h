#pragma once

#include "strata/pipeline/Executor.h"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace strata::cli {

/// Where an analysis runs (this machine, or a strata-server) and with what: the options `run` and `cohort` share.
struct ExecutorOptions {
    std::string device{"auto"};
    int threads{0};
    std::vector<std::string> params;
    std::string server;
    std::string token;
    std::string caCert;
    std::string pin;

    /// Adds --device, --threads, --param, --server, --token, --ca-cert, --pin to a subcommand.
    void addTo(CLI::App* cmd);
    /// A LocalExecutor, or a RemoteExecutor for --server (token from --token or $STRATA_TOKEN).
    std::unique_ptr<pipeline::Executor> makeExecutor() const;
    /// --param name=value items as JSON (values parsed as JSON when they are, else plain strings).
    nlohmann::json parameters() const;
};

/// Runs one request with the terminal's progress line (none when `quiet`) and Ctrl+C as cancel; a cancelled run
/// exits the process the way InterruptScope does. Returns the result otherwise (succeeded or failed).
pipeline::RunResult runInTerminal(pipeline::Executor& executor, const pipeline::RunRequest& request, bool quiet);

/// "knee" is short for "knee-mri".
std::string resolvePipelineId(const std::string& name);

/// The manifest of a pipeline this executor runs (one request with --server); throws InvalidArgument naming the
/// available ones when it has no such pipeline (or one without inputs).
pipeline::PipelineManifest findPipeline(const pipeline::Executor& executor, const std::string& pipelineId);

} // namespace strata::cli
