#pragma once

// The HTTP side of strata-server's handlers: errors as JSON answers, request-body and field checks, names safe for
// the filesystem. Shared by the server's services (UploadService.cpp, JobService.cpp, ...) and its routes.
#include "strata/Error.h"
#include "strata/JsonLimits.h"
#include "strata/pipeline/ProgressSink.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace strata::remote {

using nlohmann::json;
namespace fs = std::filesystem;


/// A request that must be refused: HTTP status + error JSON {"error": {"code", "message", ...extra}}.
struct HttpError : std::runtime_error {
    HttpError(int status, std::string code, const std::string& message, json extra = json::object())
        : std::runtime_error(message), status(status), code(std::move(code)), extra(std::move(extra))
    {
    }
    int status;
    std::string code;
    json extra;
};

inline void sendJson(httplib::Response& res, int status, const json& body)
{
    res.status = status;
    res.set_content(dumpJson(body), "application/json"); // invalid UTF-8 (e.g. from a URL) is replaced, not thrown
}

inline void sendError(httplib::Response& res, int status, const std::string& code, const std::string& message,
               const json& extra = json::object())
{
    json error{{"code", code}, {"message", message}};
    error.update(extra);
    sendJson(res, status, {{"error", error}});
}

inline json parseBody(const httplib::Request& req)
{
    json body;
    try {
        body = parseJson(req.body, false);
    } catch (const InvalidArgument& e) {
        throw HttpError(400, "bad_json", std::string("The request body is refused: ") + e.what(), {{"limit", "max_json_depth"}, {"max", kMaxJsonDepth}});
    }
    if (body.is_discarded()) {
        throw HttpError(400, "bad_json", "The request body is not valid JSON.");
    }
    if (!body.is_object()) {
        throw HttpError(400, "bad_json", "The request body must be a JSON object.");
    }
    return body;
}

/// A string field of a request body: absent gives the fallback; any other type is a 400 naming the field.
inline std::string stringField(const json& body, const std::string& field, const std::string& fallback)
{
    const auto it = body.find(field);
    if (it == body.end()) return fallback;
    if (!it->is_string()) {
        throw HttpError(400, "bad_request", "'" + field + "' must be a string, got " + jsonPreview(*it) + ".",
                        {{"field", field}});
    }
    return it->get<std::string>();
}

inline bool isLoopbackHost(const std::string& host)
{
    return host == "127.0.0.1" || host == "::1" || host == "localhost" || host.rfind("127.", 0) == 0;
}

inline bool isLoopbackAddress(const std::string& addr)
{
    return addr == "::1" || addr.rfind("127.", 0) == 0 || addr.rfind("::ffff:127.", 0) == 0;
}

/// Keeps what a client calls its file, reduced to a safe single name: [A-Za-z0-9._-], no leading dot.
inline std::string safeFileName(const std::string& name)
{
    std::string base = name;
    const auto slash = base.find_last_of("/\\");
    if (slash != std::string::npos) base = base.substr(slash + 1);
    std::string out;
    for (char c : base) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        out += ok ? c : '_';
    }
    if (out.size() > 120) out = out.substr(out.size() - 120);
    while (!out.empty() && out.front() == '.') out.erase(out.begin()); // after the cut, which may start at a dot
    return out.empty() ? "input" : out;
}

inline bool isHex64(const std::string& s)
{
    return s.size() == 64 && s.find_first_not_of("0123456789abcdef") == std::string::npos;
}

inline std::uint64_t directorySize(const fs::path& dir)
{
    std::uint64_t total = 0;
    std::error_code ec;
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec)) total += it->file_size(ec);
    }
    return total;
}

inline json progressJson(const pipeline::ProgressEvent& e)
{
    return {{"stage_id", e.stageId},         {"stage_title", e.stageTitle}, {"stage_index", e.stageIndex},
            {"stage_count", e.stageCount},   {"stage_fraction", e.stageFraction}, {"overall", e.overall},
            {"message", e.message},          {"elapsed_seconds", e.elapsedSeconds}};
}

} // namespace strata::remote
