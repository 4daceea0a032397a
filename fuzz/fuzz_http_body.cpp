// The request-body and field helpers of strata-server's handlers (remote/src/HttpSupport.h): parseBody,
// stringField, safeFileName, isHex64, isLoopbackHost/Address.
// Contract: a bad body is an HttpError 400 "bad_json" (never another exception); a parsed body is an object; a
// field of the wrong type is an HttpError 400 naming it, with a short message; safe file names hold only
// [A-Za-z0-9._-], do not start with a dot and have 1..120 characters.
#include "FuzzSupport.h"
#include "HttpSupport.h"

using strata::remote::HttpError;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    const std::string text(strata::fuzz::asText(data, size));
    httplib::Request req;
    req.body = text;
    try {
        const auto body = strata::remote::parseBody(req);
        FUZZ_CHECK(body.is_object(), "parseBody returned a non-object");
        for (const auto& [key, value] : body.items()) {
            try {
                const std::string s = strata::remote::stringField(body, key, "fallback");
                FUZZ_CHECK(value.is_string() && s == value.get<std::string>(), "stringField returned another value");
            } catch (const HttpError& e) {
                FUZZ_CHECK(e.status == 400 && !value.is_string(), "stringField refused a string");
                FUZZ_CHECK(std::string(e.what()).size() <= 300 + key.size(), "a field message that grows with the value");
            }
        }
        FUZZ_CHECK(strata::remote::stringField(body, std::string(1, '\x01') + "absent", "fb") == "fb" ||
                       body.contains(std::string(1, '\x01') + "absent"),
                   "the fallback of an absent field");
    } catch (const HttpError& e) {
        FUZZ_CHECK(e.status == 400 && e.code == "bad_json", "parseBody refused with another status");
    }

    const std::string name = strata::remote::safeFileName(text);
    FUZZ_CHECK(!name.empty() && name.size() <= 120 && name.front() != '.', "safeFileName length or leading dot");
    for (const char c : name) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '-';
        FUZZ_CHECK(ok, "safeFileName kept an unsafe character");
    }
    FUZZ_CHECK(name != ".." && name != ".", "safeFileName gave a dot name");
    if (strata::remote::isHex64(text)) FUZZ_CHECK(text.size() == 64, "isHex64 length");
    (void)strata::remote::isLoopbackHost(text);
    (void)strata::remote::isLoopbackAddress(text);
    return 0;
}
