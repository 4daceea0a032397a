#include "strata/ui/CohortStudy.h"

#include "strata/ui/FsPath.h"

#include <strata/Error.h>
#include <strata/JsonLimits.h>

#include <QObject>
#include <QStringList>

#include <algorithm>
#include <fstream>
#include <optional>
#include <set>

namespace strata::ui {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

QString qstr(const std::string& s) { return QString::fromStdString(s); }

json readQuality(const fs::path& bundleDir)
{
    std::error_code ec;
    if (!fs::is_regular_file(bundleDir / "metrics.json", ec)) {
        return json::object();
    }
    try {
        const json q = readJsonFile(bundleDir / "metrics.json").value("quality", json::object());
        return q.is_object() ? q : json::object();
    } catch (const std::exception&) {
        return json::object();
    }
}

/// The row of a bundle folder, or nothing when it has no provenance.json.
std::optional<CohortCaseStatus> bundleRow(const fs::path& dir, const std::string& subject, const std::string& timepoint)
{
    std::error_code ec;
    if (!fs::is_regular_file(dir / "provenance.json", ec)) {
        return std::nullopt;
    }
    CohortCaseStatus row;
    row.subject = qstr(subject);
    row.timepoint = qstr(timepoint);
    row.bundleDir = qstr(dir.string());
    try {
        const json prov = readJsonFile(dir / "provenance.json");
        for (const auto& in : prov.value("inputs", json::array())) {
            const QString path = qstr(in.value("path", std::string()));
            if (in.value("name", std::string()) == "labels") {
                row.labels = path;
            } else if (row.image.isEmpty()) {
                row.image = path;
            }
        }
        const std::string status = prov.value("status", std::string());
        row.state = status == "succeeded" ? CohortCaseStatus::State::Done : CohortCaseStatus::State::Failed;
        if (row.state == CohortCaseStatus::State::Failed) {
            row.message = QObject::tr("The run did not finish (status \"%1\").").arg(qstr(status));
        }
    } catch (const std::exception& e) {
        row.state = CohortCaseStatus::State::Failed;
        row.message = QObject::tr("provenance.json cannot be read: %1").arg(QString::fromUtf8(e.what()));
    }
    row.verdict = CohortStudy::verdict(dir);
    const QString qc = CohortStudy::qualityFailure(dir);
    if (row.state == CohortCaseStatus::State::Done && !qc.isEmpty()) {
        row.state = CohortCaseStatus::State::Failed;
        row.message = qc;
    }
    return row;
}

} // namespace

QString CohortStudy::verdict(const fs::path& bundleDir)
{
    return qstr(readQuality(bundleDir).value("verdict", std::string()));
}

QString CohortStudy::qualityFailure(const fs::path& bundleDir)
{
    const json q = readQuality(bundleDir);
    if (q.value("verdict", std::string()) != "not_a_knee") {
        return {};
    }
    QStringList reasons;
    for (const auto& r : q.value("reasons", json::array())) {
        if (r.is_string()) {
            reasons << qstr(r.get<std::string>());
        }
    }
    return reasons.isEmpty() ? QObject::tr("Quality control: not a knee.")
                             : QObject::tr("Quality control: not a knee (%1).").arg(reasons.join(QStringLiteral("; ")));
}

std::vector<CohortCaseStatus> CohortStudy::list(const fs::path& studyDir)
{
    std::error_code ec;
    if (!fs::is_directory(studyDir, ec)) {
        throw IoError("The study folder '" + studyDir.string() + "' does not exist.");
    }
    std::vector<CohortCaseStatus> rows;
    std::set<std::pair<QString, QString>> seen;
    for (const auto& subject : fs::directory_iterator(studyDir, ec)) {
        if (!subject.is_directory(ec)) {
            continue;
        }
        for (const auto& timepoint : fs::directory_iterator(subject.path(), ec)) {
            if (!timepoint.is_directory(ec)) {
                continue;
            }
            if (auto row = bundleRow(timepoint.path(), subject.path().filename().string(), timepoint.path().filename().string())) {
                seen.insert({row->subject, row->timepoint});
                rows.push_back(std::move(*row));
            }
        }
    }
    // failures.csv: subject,timepoint,image,error (the last run's failures; those with a bundle are listed already).
    std::ifstream failures(studyDir / "failures.csv");
    std::string line;
    bool header = true;
    while (std::getline(failures, line)) {
        if (!line.empty() && line.back() == '\r') {
            line.pop_back();
        }
        if (header || line.empty()) {
            header = false;
            continue;
        }
        const auto f = cohort::CohortManifest::splitCsvLine(line);
        if (f.size() < 4) {
            continue;
        }
        CohortCaseStatus row;
        row.subject = qstr(f[0]);
        row.timepoint = qstr(f[1]);
        row.image = qstr(f[2]);
        row.message = qstr(f[3]);
        row.state = CohortCaseStatus::State::Failed;
        row.bundleDir = qstr((studyDir / f[0] / f[1]).string());
        if (auto it = std::find_if(rows.begin(), rows.end(), [&](const CohortCaseStatus& r) {
                return r.subject == row.subject && r.timepoint == row.timepoint;
            });
            it != rows.end()) {
            if (it->state == CohortCaseStatus::State::Failed) {
                it->message = row.message; // the run's own words (quality control's reasons)
            }
            continue;
        }
        if (seen.insert({row.subject, row.timepoint}).second) {
            rows.push_back(std::move(row));
        }
    }
    if (rows.empty()) {
        throw IoError("'" + studyDir.string() + "' holds no cohort cases (no <subject>/<timepoint>/ result folders, no failures.csv).");
    }
    std::sort(rows.begin(), rows.end(), [](const CohortCaseStatus& a, const CohortCaseStatus& b) {
        return a.subject != b.subject ? a.subject < b.subject : a.timepoint < b.timepoint;
    });
    return rows;
}

std::vector<CohortCaseStatus> CohortStudy::pending(const std::vector<cohort::CohortCase>& cases, const fs::path& studyDir)
{
    std::vector<CohortCaseStatus> rows;
    rows.reserve(cases.size());
    for (const auto& c : cases) {
        CohortCaseStatus row;
        row.subject = qstr(c.subject);
        row.timepoint = qstr(c.timepoint);
        row.image = qstr(c.image.string());
        row.labels = qstr(c.labels.string());
        row.bundleDir = qstr(c.bundleDir(studyDir).string());
        rows.push_back(std::move(row));
    }
    return rows;
}

} // namespace strata::ui
