#include "strata/results/Provenance.h"

#include "strata/Error.h"
#include "strata/JsonLimits.h"

namespace strata::results {

namespace {

std::string text(const nlohmann::json& object, const char* key, const std::string& where)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null()) return {};
    if (!it->is_string()) throw IoError(where + ": \"" + key + "\" is not text.");
    return it->get<std::string>();
}

} // namespace

const Provenance::Input* Provenance::input(const std::string& name) const
{
    for (const Input& i : inputs) {
        if (i.name == name) return &i;
    }
    return nullptr;
}

std::filesystem::path Provenance::firstInputPath() const { return inputs.empty() ? std::filesystem::path() : inputs.front().path; }

Provenance Provenance::fromJson(const nlohmann::json& doc, const std::string& source)
{
    if (!doc.is_object()) throw IoError(source + " is not a JSON object.");
    Provenance p;
    p.pipeline = text(doc, "pipeline", source);
    p.startedAt = text(doc, "started_at", source);
    p.finishedAt = text(doc, "finished_at", source);
    if (const auto it = doc.find("inputs"); it != doc.end() && !it->is_null()) {
        if (!it->is_array()) throw IoError(source + ": \"inputs\" is not a list.");
        for (std::size_t i = 0; i < it->size(); ++i) {
            const auto& entry = (*it)[i];
            const std::string where = source + ", input " + std::to_string(i + 1);
            if (!entry.is_object()) throw IoError(where + " is not an object.");
            p.inputs.push_back({text(entry, "name", where), std::filesystem::path(text(entry, "path", where)),
                                text(entry, "sha256", where)});
        }
    }
    return p;
}

Provenance readProvenance(const std::filesystem::path& bundleDir)
{
    const auto file = bundleDir / "provenance.json";
    return Provenance::fromJson(readJsonFile(file), "'" + file.string() + "'");
}

} // namespace strata::results
