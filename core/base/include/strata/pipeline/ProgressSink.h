#pragma once

#include <string>

namespace strata::pipeline {

/// Progress of a running pipeline, as shown in a progress bar.
struct ProgressEvent {
    std::string stageId;
    std::string stageTitle;
    int stageIndex{0};      ///< 0-based
    int stageCount{0};
    double stageFraction{0}; ///< progress within the stage, 0..1
    double overall{0};       ///< progress of the whole run, 0..1 (stage weights from the manifest)
    std::string message;
    double elapsedSeconds{0};
};

/// Receives progress from a run. Called on the run's thread: implementations hand it on (to a GUI
/// thread, a socket, a terminal) and return quickly.
class ProgressSink {
public:
    virtual ~ProgressSink() = default;
    virtual void progress(const ProgressEvent& event) = 0;
    virtual void log(const std::string& /*message*/) {}
};

/// A sink that drops everything.
class NullProgressSink : public ProgressSink {
public:
    void progress(const ProgressEvent&) override {}
};

} // namespace strata::pipeline
