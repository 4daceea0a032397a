#include "strata/knee/KneeQuality.h"

#include "strata/Error.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace strata::knee {

namespace {

std::string pretty(const std::string& name)
{
    std::string s = name;
    for (char& c : s)
        if (c == '_') c = ' ';
    return s;
}

std::string num(const char* f, double v)
{
    char buf[64];
    std::snprintf(buf, sizeof buf, f, v);
    return buf;
}

double number(const nlohmann::json& q, const char* key, double fallback)
{
    if (!q.contains(key)) return fallback;
    const auto& v = q.at(key);
    if (!v.is_number()) throw InvalidArgument(std::string("Model card: quality.") + key + " must be a number.");
    return v.get<double>();
}

const StructureQualityInput* find(const std::vector<StructureQualityInput>& s, const std::string& name)
{
    for (const auto& x : s)
        if (x.name == name) return &x;
    return nullptr;
}

} // namespace

QualityRules QualityRules::fromCard(const nlohmann::json& card)
{
    QualityRules r;
    if (!card.is_object() || !card.contains("quality")) return r;
    const auto& q = card.at("quality");
    if (!q.is_object()) throw InvalidArgument("Model card: quality must be an object.");
    r.declared = true;
    r.minStructureConfidence = number(q, "min_structure_confidence", r.minStructureConfidence);
    r.notAKneeBelowConfidence = number(q, "not_a_knee_below_confidence", r.notAKneeBelowConfidence);
    r.minLargestComponentFraction = number(q, "min_largest_component_fraction", r.minLargestComponentFraction);
    r.minBoneVolumeMm3 = number(q, "min_bone_volume_mm3", r.minBoneVolumeMm3);
    r.minTibiofemoralCartilageMm3 = number(q, "min_tibiofemoral_cartilage_mm3", r.minTibiofemoralCartilageMm3);
    r.minCartilageOnBoneFraction = number(q, "min_cartilage_on_bone_fraction", r.minCartilageOnBoneFraction);
    r.cartilageOnBoneMm = number(q, "cartilage_on_bone_mm", r.cartilageOnBoneMm);
    r.minBoneLargestComponentFraction =
        number(q, "min_bone_largest_component_fraction", r.minBoneLargestComponentFraction);
    if (q.contains("volume_ranges_mm3")) {
        const auto& ranges = q.at("volume_ranges_mm3");
        if (!ranges.is_object()) throw InvalidArgument("Model card: quality.volume_ranges_mm3 must be an object.");
        for (const auto& [name, v] : ranges.items()) {
            if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number() ||
                v[0].get<double>() > v[1].get<double>())
                throw InvalidArgument("Model card: quality.volume_ranges_mm3." + name + " must be [min, max] in mm3.");
            r.volumeRangesMm3[name] = {v[0].get<double>(), v[1].get<double>()};
        }
    }
    return r;
}

QualityAssessment assessKneeQuality(const std::vector<StructureQualityInput>& structures, double foregroundConfidence,
                                    const QualityRules& rules)
{
    std::vector<std::string> notKnee, uncertain;
    nlohmann::json perStructure = nlohmann::json::object();

    auto volumeOf = [&](const char* name) {
        const auto* s = find(structures, name);
        return s ? s->volumeMm3 : 0.0;
    };
    for (const char* bone : {"femur", "tibia", "patella"}) {
        const double v = volumeOf(bone);
        const bool femurOrTibia = std::string(bone) != "patella";
        if (!femurOrTibia && !rules.volumeRangesMm3.count(bone)) continue; // the patella only against a range
        if (!femurOrTibia && !find(structures, bone)) continue; // given labels without a patella (e.g. OAI-ZIB)
        double floor = femurOrTibia ? rules.minBoneVolumeMm3 : 0.0;
        if (auto it = rules.volumeRangesMm3.find(bone); it != rules.volumeRangesMm3.end())
            floor = std::max(floor, it->second.first);
        if (v < floor)
            notKnee.push_back(v <= 0.0 ? "No " + std::string(bone) + " was found."
                                       : "The " + std::string(bone) + " is implausibly small (" + num("%.0f", v) +
                                             " mm3, a knee scan shows at least " + num("%.0f", floor) + " mm3).");
    }
    for (const auto& s : structures) {
        if ((s.name == "femur" || s.name == "tibia" || s.name == "patella") && s.components > 0 &&
            s.largestComponentFraction < rules.minBoneLargestComponentFraction)
            notKnee.push_back("The " + s.name + " is in pieces (only " + num("%.0f", 100.0 * s.largestComponentFraction) +
                              " % of it in its largest one).");
    }
    const double tibiofemoral = volumeOf("femoral_cartilage") + volumeOf("medial_tibial_cartilage") +
                                volumeOf("lateral_tibial_cartilage");
    if (tibiofemoral < rules.minTibiofemoralCartilageMm3)
        notKnee.push_back("Almost no tibiofemoral cartilage was found (" + num("%.0f", tibiofemoral) + " mm3).");
    if (foregroundConfidence >= 0.0 && foregroundConfidence < rules.notAKneeBelowConfidence)
        notKnee.push_back("The network is unsure of everything it labelled (mean confidence " +
                          num("%.2f", foregroundConfidence) + ", below " + num("%.2f", rules.notAKneeBelowConfidence) + ").");

    for (const auto& s : structures) {
        nlohmann::json j;
        nlohmann::json flags = nlohmann::json::array();
        const std::string who = pretty(s.name);
        j["volume_mm3"] = s.volumeMm3;
        j["model_voxels"] = s.modelVoxels;
        if (s.meanConfidence >= 0.0) {
            j["confidence"] = s.meanConfidence;
            if (s.modelVoxels > 0 && s.meanConfidence < rules.minStructureConfidence) {
                flags.push_back("low_confidence");
                uncertain.push_back(who + ": low network confidence (" + num("%.2f", s.meanConfidence) + ", below " +
                                    num("%.2f", rules.minStructureConfidence) + ").");
            }
        } else {
            j["confidence"] = nullptr;
        }
        if (auto it = rules.volumeRangesMm3.find(s.name); it != rules.volumeRangesMm3.end()) {
            const auto [lo, hi] = it->second;
            j["range_mm3"] = {lo, hi};
            if (s.volumeMm3 < lo || s.volumeMm3 > hi) {
                flags.push_back("volume_out_of_range");
                uncertain.push_back(who + ": volume " + num("%.0f", s.volumeMm3) + " mm3 is outside the plausible " +
                                    num("%.0f", lo) + "-" + num("%.0f", hi) + " mm3.");
            }
        } else {
            j["range_mm3"] = nullptr;
        }
        if (s.components > 0) {
            j["components"] = s.components;
            j["largest_component_fraction"] = s.largestComponentFraction;
            if (s.largestComponentFraction < rules.minLargestComponentFraction) {
                flags.push_back("fragmented");
                uncertain.push_back(who + ": fragmented (" + num("%.0f", 100.0 * (1.0 - s.largestComponentFraction)) +
                                    " % of it outside its largest piece, " + std::to_string(s.components) +
                                    " pieces, before cleanup).");
            }
        }
        if (s.onBoneFraction >= 0.0) {
            j["on_bone_fraction"] = s.onBoneFraction;
            if (s.onBoneFraction < rules.minCartilageOnBoneFraction) {
                flags.push_back("off_bone");
                uncertain.push_back(who + ": " + num("%.0f", 100.0 * (1.0 - s.onBoneFraction)) + " % of it lies more than " +
                                    num("%.0f", rules.cartilageOnBoneMm) + " mm from its bone (cartilage lies on bone: "
                                    "is something else labelled as cartilage?).");
            }
        }
        j["flags"] = flags;
        perStructure[s.name] = j;
    }

    QualityAssessment a;
    if (!notKnee.empty()) {
        a.verdict = "not_a_knee";
        a.reasons = notKnee;
    } else if (!uncertain.empty()) {
        a.verdict = "uncertain";
        a.reasons = uncertain;
    } else {
        a.verdict = "ok";
    }
    a.json = {{"verdict", a.verdict},
              {"reasons", a.reasons},
              {"foreground_confidence", foregroundConfidence >= 0.0 ? nlohmann::json(foregroundConfidence) : nlohmann::json()},
              {"rules",
               {{"source", rules.declared ? "model card" : "defaults (the model card has no quality section)"},
                {"min_structure_confidence", rules.minStructureConfidence},
                {"not_a_knee_below_confidence", rules.notAKneeBelowConfidence},
                {"min_largest_component_fraction", rules.minLargestComponentFraction},
                {"min_bone_volume_mm3", rules.minBoneVolumeMm3},
                {"min_bone_largest_component_fraction", rules.minBoneLargestComponentFraction},
                {"min_tibiofemoral_cartilage_mm3", rules.minTibiofemoralCartilageMm3},
                {"min_cartilage_on_bone_fraction", rules.minCartilageOnBoneFraction},
                {"cartilage_on_bone_mm", rules.cartilageOnBoneMm}}},
              {"structures", perStructure}};
    if (a.verdict == "not_a_knee" && !uncertain.empty()) a.json["other_findings"] = uncertain;
    return a;
}

} // namespace strata::knee
