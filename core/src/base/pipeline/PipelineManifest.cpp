#include "strata/pipeline/PipelineManifest.h"

#include "strata/Error.h"
#include "strata/JsonLimits.h"

#include <algorithm>
#include <cmath>

namespace strata::pipeline {

using nlohmann::json;

namespace {

ParameterSpec parameterFromJson(const json& j)
{
    ParameterSpec p;
    p.name = j.at("name").get<std::string>();
    p.type = j.at("type").get<std::string>();
    static const std::vector<std::string> kTypes{"int", "number", "bool", "string", "choice"};
    if (std::find(kTypes.begin(), kTypes.end(), p.type) == kTypes.end()) {
        throw InvalidArgument("Parameter '" + p.name + "' has unknown type '" + p.type + "'.");
    }
    p.defaultValue = j.value("default", json());
    if (j.contains("min")) p.min = j.at("min").get<double>();
    if (j.contains("max")) p.max = j.at("max").get<double>();
    p.choices = j.value("choices", std::vector<std::string>{});
    p.help = j.value("help", "");
    return p;
}

json parameterToJson(const ParameterSpec& p)
{
    json j{{"name", p.name}, {"type", p.type}, {"default", p.defaultValue}, {"help", p.help}};
    if (p.min) j["min"] = *p.min;
    if (p.max) j["max"] = *p.max;
    if (!p.choices.empty()) j["choices"] = p.choices;
    return j;
}

std::vector<PortSpec> portsFromJson(const json& j)
{
    std::vector<PortSpec> out;
    for (const auto& p : j) {
        out.push_back({p.at("name").get<std::string>(), p.at("type").get<std::string>(), p.value("help", ""),
                       p.value("optional", false)});
    }
    return out;
}

json portsToJson(const std::vector<PortSpec>& ports)
{
    json out = json::array();
    for (const auto& p : ports) {
        json port{{"name", p.name}, {"type", p.type}, {"help", p.help}};
        if (p.optional) port["optional"] = true; // absent: required (manifests before optional inputs)
        out.push_back(std::move(port));
    }
    return out;
}

json checkedValue(const ParameterSpec& spec, const json& value)
{
    const std::string where = "Parameter '" + spec.name + "'";
    auto checkRange = [&](double v) {
        if ((spec.min && v < *spec.min) || (spec.max && v > *spec.max)) {
            throw InvalidArgument(where + " = " + jsonPreview(value) + " is outside its range [" +
                                  (spec.min ? json(*spec.min).dump() : "-inf") + ", " +
                                  (spec.max ? json(*spec.max).dump() : "inf") + "].");
        }
    };
    if (spec.type == "int") {
        // Within long long: 1e300 (or 2^64 - 1) passed a "min": 0 check and then became another number, the float
        // by a cast with undefined behaviour (LLONG_MIN here).
        const double v = value.is_number() ? value.get<double>() : NAN;
        if (v != std::floor(v) || !(std::abs(v) < 0x1p63)) {
            throw InvalidArgument(where + " must be an integer, got " + jsonPreview(value) + ".");
        }
        checkRange(v);
        return value.is_number_integer() ? value : json(static_cast<long long>(v));
    }
    if (spec.type == "number") {
        if (!value.is_number()) {
            throw InvalidArgument(where + " must be a number, got " + jsonPreview(value) + ".");
        }
        checkRange(value.get<double>());
        return json(value.get<double>());
    }
    if (spec.type == "bool") {
        if (!value.is_boolean()) {
            throw InvalidArgument(where + " must be true or false, got " + jsonPreview(value) + ".");
        }
        return value;
    }
    if (!value.is_string()) {
        throw InvalidArgument(where + " must be a string, got " + jsonPreview(value) + ".");
    }
    if (spec.type == "choice" &&
        std::find(spec.choices.begin(), spec.choices.end(), value.get<std::string>()) == spec.choices.end()) {
        std::string options;
        for (const auto& c : spec.choices) {
            options += (options.empty() ? "" : ", ") + c;
        }
        throw InvalidArgument(where + " = " + jsonPreview(value) + " is not one of: " + options + ".");
    }
    return value;
}

} // namespace

PipelineManifest PipelineManifest::fromJson(const json& j)
{
    try {
        PipelineManifest m;
        m.id = j.at("id").get<std::string>();
        m.title = j.value("title", m.id);
        m.description = j.value("description", "");
        m.version = j.value("version", "1");
        m.memoryBytesPerVoxel = j.value("memory_bytes_per_voxel", 16.0);
        m.inputs = portsFromJson(j.value("inputs", json::array()));
        m.outputs = portsFromJson(j.value("outputs", json::array()));
        for (const auto& p : j.value("parameters", json::array())) {
            m.parameters.push_back(parameterFromJson(p));
        }
        for (const auto& s : j.value("stages", json::array())) {
            m.stages.push_back({s.at("id").get<std::string>(), s.value("title", s.at("id").get<std::string>()),
                                s.value("weight", 1.0)});
        }
        return m;
    } catch (const json::exception& e) {
        throw InvalidArgument(std::string("Invalid pipeline manifest: ") + e.what());
    }
}

json PipelineManifest::toJson() const
{
    json params = json::array();
    for (const auto& p : parameters) {
        params.push_back(parameterToJson(p));
    }
    json stageList = json::array();
    for (const auto& s : stages) {
        stageList.push_back({{"id", s.id}, {"title", s.title}, {"weight", s.weight}});
    }
    return {{"id", id},
            {"title", title},
            {"description", description},
            {"version", version},
            {"memory_bytes_per_voxel", memoryBytesPerVoxel},
            {"inputs", portsToJson(inputs)},
            {"outputs", portsToJson(outputs)},
            {"parameters", params},
            {"stages", stageList}};
}

json PipelineManifest::resolveParameters(const json& given) const
{
    if (!given.is_null() && !given.is_object()) {
        throw InvalidArgument("Parameters must be a JSON object, got " + jsonPreview(given) + ".");
    }
    if (given.is_object()) {
        for (const auto& [name, value] : given.items()) {
            const bool known = std::any_of(parameters.begin(), parameters.end(),
                                           [&n = name](const ParameterSpec& p) { return p.name == n; }); // clang < 16: no captured bindings
            if (!known) {
                std::string names;
                for (const auto& p : parameters) {
                    names += (names.empty() ? "" : ", ") + p.name;
                }
                throw InvalidArgument("Pipeline '" + id + "' has no parameter '" + name + "' (it has: " + names + ").");
            }
        }
    }
    json out = json::object();
    for (const auto& p : parameters) {
        const bool isGiven = given.is_object() && given.contains(p.name);
        out[p.name] = checkedValue(p, isGiven ? given.at(p.name) : p.defaultValue);
    }
    return out;
}

} // namespace strata::pipeline
