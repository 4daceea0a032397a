#pragma once

#include <cerrno>
#include <exception>
#include <filesystem>
#include <string>
#include <system_error>

namespace strata::remote {

/// Whether an exception reports a full disk or an exhausted quota (ENOSPC, EDQUOT, EFBIG from the file system).
inline bool isDiskFull(const std::exception& e)
{
    const auto* s = dynamic_cast<const std::system_error*>(&e); // std::filesystem::filesystem_error is one
    if (!s || (s->code().category() != std::generic_category() && s->code().category() != std::system_category())) {
        return false;
    }
    const int code = s->code().value();
    return code == ENOSPC || code == EDQUOT || code == EFBIG;
}

/// A failed job's message from what it threw: a full disk says so first.
inline std::string jobFailureMessage(const std::exception& e)
{
    return isDiskFull(e) ? "The server's disk is full: " + std::string(e.what()) : std::string(e.what());
}

/// What a client is told when the server's disk is full (no server paths).
inline std::string diskFullMessage()
{
    return "The server's disk is full: nothing of this request was kept. Try again when there is room, or ask the "
           "server's administrator to free space.";
}

} // namespace strata::remote
