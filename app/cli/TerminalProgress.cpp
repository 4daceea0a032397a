#include "cli/TerminalProgress.h"

#include <cstdio>
#include <unistd.h>

namespace strata::cli {

void TerminalProgress::progress(const pipeline::ProgressEvent& e)
{
    if (!enabled_) {
        return;
    }
    std::lock_guard lock(mutex_);
    const int percent = static_cast<int>(e.overall * 100.0);
    const std::string text = e.stageTitle + (e.message.empty() || e.message == e.stageTitle ? "" : ": " + e.message);
    if (percent == lastPercent_ && text == lastMessage_) {
        return;
    }
    lastPercent_ = percent;
    lastMessage_ = text;
    const bool tty = ::isatty(STDERR_FILENO) != 0;
    std::fprintf(stderr, "%s[%3d%%] %d/%d %-60.60s (%.1f s)%s", tty ? "\r" : "", percent, e.stageIndex + 1, e.stageCount,
                 text.c_str(), e.elapsedSeconds, tty ? "\033[K" : "\n");
    std::fflush(stderr);
    dirty_ = tty;
}

void TerminalProgress::finish()
{
    std::lock_guard lock(mutex_);
    if (dirty_) {
        std::fputc('\n', stderr);
        dirty_ = false;
    }
}

} // namespace strata::cli
