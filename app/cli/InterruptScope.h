#pragma once

#include <stop_token>
#include <string>

namespace strata::cli {

/// Ctrl+C and SIGTERM stop the run in progress (its stop token) instead of killing the process, for as long as
/// this object lives.
class InterruptScope {
public:
    InterruptScope();
    ~InterruptScope();
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;

    std::stop_token token() const { return stop_.get_token(); }

    /// After a cancelled run: throws Error("Interrupted: ..."), or ends the process at once with exit code 1 when
    /// a network pass abandoned by the cancel is still running (it must not run into static destruction).
    [[noreturn]] static void exitInterrupted(const std::string& message);

private:
    std::stop_source stop_;
};

} // namespace strata::cli
