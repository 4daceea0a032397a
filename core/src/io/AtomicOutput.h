#pragma once

#include <filesystem>

namespace strata::io {

/// Lets a writer produce its file(s) in a private staging directory beside the target, then moves them
/// into place on commit(). If commit() is never called (an exception, a cancel) the staging directory is
/// removed and nothing half-written is left at the target. Works for formats that write a header and a
/// separate data file (.nhdr/.raw, .mhd/.raw) because the whole staging directory is moved.
class AtomicOutput {
public:
    explicit AtomicOutput(std::filesystem::path target);
    ~AtomicOutput();
    AtomicOutput(const AtomicOutput&) = delete;
    AtomicOutput& operator=(const AtomicOutput&) = delete;

    /// Where the writer must write (same file name as the target, inside the staging directory).
    const std::filesystem::path& stagingPath() const { return staging_; }
    void commit();

private:
    std::filesystem::path target_;
    std::filesystem::path stagingDir_;
    std::filesystem::path staging_;
    bool committed_{false};
};

} // namespace strata::io
