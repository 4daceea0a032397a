#include "AuthService.h"

#include "HttpSupport.h"

#include <algorithm>

namespace strata::remote {

std::optional<Caller> AuthService::authenticate(const httplib::Request& req)
{
    const std::string header = req.get_header_value("Authorization");
    if (header.rfind("Bearer ", 0) == 0) {
        if (auto token = ctx_.db->findToken(header.substr(7))) {
            return Caller{token->id, token->admin};
        }
        return std::nullopt;
    }
    if (header.empty() && ctx_.config.allowAnonymous && isLoopbackAddress(req.remote_addr)) {
        return Caller{"anonymous", true};
    }
    return std::nullopt;
}

Caller AuthService::caller(const httplib::Request& req)
{
    auto c = authenticate(req); // checked again by the pre-routing handler; cheap
    if (!c) throw HttpError(401, "unauthorized", "A valid bearer token is required.");
    return *c;
}

std::string AuthService::clientAddress(const httplib::Request& req) const
{
    const std::string& peer = req.remote_addr;
    const std::string& trusted = ctx_.config.trustedProxies;
    bool trust = trusted == "*";
    for (std::size_t at = 0; !trust && at <= trusted.size();) {
        const std::size_t comma = std::min(trusted.find(',', at), trusted.size());
        const std::string entry = trusted.substr(at, comma - at);
        trust = !entry.empty() && (entry == peer || "::ffff:" + entry == peer);
        at = comma + 1;
    }
    const std::string forwarded = trust ? req.get_header_value("X-Forwarded-For") : "";
    if (forwarded.empty()) return peer;
    std::string last = forwarded.substr(forwarded.find_last_of(',') == std::string::npos ? 0 : forwarded.find_last_of(',') + 1);
    last.erase(0, last.find_first_not_of(' '));
    last.erase(last.find_last_not_of(' ') + 1);
    return last.empty() || last.size() > 64 ? peer : last;
}

} // namespace strata::remote
