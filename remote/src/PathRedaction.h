#pragma once

#include <filesystem>
#include <string>

namespace strata::remote {

/// Takes a server folder out of a message meant for clients: "<dir>/inputs/image/x.mha" becomes
/// "inputs/image/x.mha", and the folder itself `shownAs`. Clients never learn the server's paths.
inline std::string withoutServerPath(std::string text, const std::filesystem::path& dir, const std::string& shownAs)
{
    auto replaceAll = [&text](const std::string& what, const std::string& with) {
        if (what.empty()) return;
        for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
            text.replace(at, what.size(), with);
        }
    };
    const std::string d = dir.lexically_normal().string();
    const std::string base = !d.empty() && d.back() == '/' ? d.substr(0, d.size() - 1) : d;
    replaceAll(base + "/", "");
    replaceAll(base, shownAs);
    return text;
}

} // namespace strata::remote
