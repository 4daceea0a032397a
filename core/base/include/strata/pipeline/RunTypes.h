#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>

namespace strata::pipeline {

/// What to run, on what, with which settings, and where the result bundle goes.
struct RunRequest {
    std::string pipeline;
    std::map<std::string, std::filesystem::path> inputs; ///< input port name -> file or DICOM folder
    nlohmann::json parameters = nlohmann::json::object();
    std::filesystem::path outputDir;                      ///< must not exist, or be an empty folder
    std::string device{"auto"};                           ///< auto | cpu | cuda
    int threads{0};                                       ///< 0 = all cores
    /// Input port name -> what provenance.json records instead of the input's path (a server records the
    /// client's file name: its own paths never leave it).
    std::map<std::string, std::string> inputLabels;
};

/// How a run ended.
enum class RunStatus { Succeeded, Failed, Cancelled };

[[nodiscard]] std::string runStatusName(RunStatus status);

/// Seconds for people: one decimal ("10.7 s").
[[nodiscard]] std::string formatSeconds(double seconds);

/// What Executor::run hands back: how the run ended, why it failed, and where its bundle is.
struct RunResult {
    RunStatus status{RunStatus::Failed};
    std::string message;             ///< why it failed, for people
    std::filesystem::path bundleDir; ///< set when Succeeded
    nlohmann::json provenance;       ///< also written as bundleDir/provenance.json
};

} // namespace strata::pipeline
