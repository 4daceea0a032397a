#pragma once

#include "strata/pipeline/ProgressSink.h"

#include <mutex>

namespace strata::cli {

/// A single, rewritten progress line on stderr: "[ 42%] 3/7 Segmenting (3D U-Net): tile 5 of 12  (12.3 s)".
class TerminalProgress : public pipeline::ProgressSink {
public:
    explicit TerminalProgress(bool enabled) : enabled_(enabled) {}
    void progress(const pipeline::ProgressEvent& event) override;
    /// Ends the progress line.
    void finish();

private:
    bool enabled_;
    bool dirty_{false};
    int lastPercent_{-1};
    std::string lastMessage_;
    std::mutex mutex_;
};

} // namespace strata::cli
