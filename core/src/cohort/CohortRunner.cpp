#include "strata/cohort/CohortRunner.h"

#include "io/TextFiles.h"
#include "strata/Error.h"
#include "strata/JsonLimits.h"
#include "strata/cohort/CohortTable.h"
#include "strata/results/TimepointChange.h"
#include "strata/results/TimepointComparison.h"

#include <algorithm>
#include <map>
#include <sstream>

namespace strata::cohort {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

/// A case's progress as part of the cohort's.
class CaseProgress : public pipeline::ProgressSink {
public:
    CaseProgress(pipeline::ProgressSink& out, std::size_t index, std::size_t count, std::string name)
        : out_(out), index_(index), count_(count), prefix_("case " + std::to_string(index + 1) + "/" +
                                                           std::to_string(count) + " " + std::move(name) + ": ")
    {
    }
    void progress(const pipeline::ProgressEvent& e) override
    {
        pipeline::ProgressEvent c = e;
        c.overall = (static_cast<double>(index_) + e.overall) / static_cast<double>(count_);
        c.stageTitle = prefix_ + e.stageTitle;
        out_.progress(c);
    }

private:
    pipeline::ProgressSink& out_;
    std::size_t index_, count_;
    std::string prefix_;
};

std::string oneLine(std::string s)
{
    for (char& c : s) {
        if (c == '\n' || c == '\r') c = ' ';
    }
    return s;
}

} // namespace

CohortRunner::CohortRunner(pipeline::Executor& executor, CohortOptions options)
    : executor_(executor), options_(std::move(options))
{
    if (options_.outDir.empty()) throw InvalidArgument("A cohort run needs an output folder.");
}

bool CohortRunner::finished(const fs::path& bundleDir)
{
    std::error_code ec;
    if (!fs::is_regular_file(bundleDir / "provenance.json", ec)) return false;
    try {
        return readJsonFile(bundleDir / "provenance.json").value("status", "") == "succeeded";
    } catch (const Error&) {
        return false;
    }
}

pipeline::RunRequest CohortRunner::requestFor(const CohortCase& item, const pipeline::PipelineManifest* manifest) const
{
    std::error_code ec;
    if (!fs::exists(item.image, ec)) {
        throw IoError("The image '" + item.image.string() + "' does not exist.");
    }
    if (!manifest || manifest->inputs.empty()) throw InvalidArgument("No pipeline '" + options_.pipeline + "'.");
    pipeline::RunRequest request;
    request.pipeline = options_.pipeline;
    request.inputs[manifest->inputs.front().name] = item.image;
    if (!item.labels.empty()) {
        const bool takesLabels = std::any_of(manifest->inputs.begin(), manifest->inputs.end(),
                                             [](const pipeline::PortSpec& p) { return p.name == "labels"; });
        if (!takesLabels) {
            throw InvalidArgument("Pipeline '" + options_.pipeline +
                                  "' cannot measure a given segmentation (it has no 'labels' input).");
        }
        request.inputs["labels"] = item.labels;
    }
    request.parameters = options_.parameters;
    request.device = options_.device;
    request.threads = options_.threads;
    request.outputDir = item.bundleDir(options_.outDir);
    return request;
}

CaseOutcome CohortRunner::runCase(const CohortCase& item, const pipeline::PipelineManifest* manifest, std::size_t index,
                                  std::size_t count, pipeline::ProgressSink& sink, std::stop_token stop)
{
    CaseOutcome outcome{item, CaseOutcome::State::Failed, ""};
    const fs::path bundle = item.bundleDir(options_.outDir);
    if (finished(bundle)) {
        outcome.state = CaseOutcome::State::Skipped;
        outcome.message = "finished by an earlier run";
        return outcome;
    }
    try {
        std::error_code ec;
        const pipeline::RunRequest request = requestFor(item, manifest);
        fs::create_directories(bundle.parent_path());
        if (fs::exists(bundle, ec)) fs::remove_all(bundle); // an unfinished bundle of an earlier run: run again
        CaseProgress progress(sink, index, count, item.subject + "/" + item.timepoint);
        const auto result = executor_.run(request, progress, stop);
        outcome.message = result.message;
        outcome.state = result.status == pipeline::RunStatus::Succeeded   ? CaseOutcome::State::Succeeded
                        : result.status == pipeline::RunStatus::Cancelled ? CaseOutcome::State::Cancelled
                                                                          : CaseOutcome::State::Failed;
    } catch (const std::exception& e) {
        outcome.state = CaseOutcome::State::Failed;
        outcome.message = e.what();
    }
    return outcome;
}

void CohortRunner::judgeQuality(CaseOutcome& outcome) const
{
    if (outcome.state != CaseOutcome::State::Succeeded && outcome.state != CaseOutcome::State::Skipped) return;
    const fs::path metricsPath = outcome.item.bundleDir(options_.outDir) / "metrics.json";
    std::error_code ec;
    if (!fs::exists(metricsPath, ec)) return;
    const auto quality = readJsonFile(metricsPath).value("quality", json::object());
    if (quality.value("verdict", std::string()) != "not_a_knee") return;
    std::string reasons;
    for (const auto& r : quality.value("reasons", json::array())) {
        if (r.is_string()) reasons += (reasons.empty() ? "" : "; ") + r.get<std::string>();
    }
    outcome.state = CaseOutcome::State::Failed; // its bundle stays for a look; it has no measurements to table
    outcome.message = "Quality control: not a knee" + (reasons.empty() ? std::string(".") : " (" + reasons + ").");
}

CohortSummary CohortRunner::run(const std::vector<CohortCase>& cases, pipeline::ProgressSink& sink, std::stop_token stop)
{
    CohortSummary summary;
    fs::create_directories(options_.outDir);
    // The pipeline's manifest once for the cohort (with a server, pipelines() is a request).
    const auto manifests = executor_.pipelines();
    const auto found = std::find_if(manifests.begin(), manifests.end(),
                                    [this](const pipeline::PipelineManifest& m) { return m.id == options_.pipeline; });
    const pipeline::PipelineManifest* manifest = found == manifests.end() ? nullptr : &*found;
    // Tell the executor what comes: a server takes the unfinished cases as one job group and runs them side by
    // side; they are still collected one by one below, in manifest order.
    std::vector<pipeline::PlannedRun> planned;
    for (const auto& c : cases) {
        if (finished(c.bundleDir(options_.outDir))) continue;
        try {
            planned.push_back({c.subject, c.timepoint, requestFor(c, manifest)});
        } catch (const std::exception&) { // fails with its reason when its turn comes
        }
    }
    executor_.announce(planned, sink, stop);
    for (std::size_t i = 0; i < cases.size(); ++i) {
        if (stop.stop_requested()) {
            summary.cancelled = true;
            break;
        }
        auto outcome = runCase(cases[i], manifest, i, cases.size(), sink, stop);
        judgeQuality(outcome);
        switch (outcome.state) {
        case CaseOutcome::State::Succeeded: ++summary.succeeded; break;
        case CaseOutcome::State::Skipped: ++summary.skipped; break;
        case CaseOutcome::State::Failed: ++summary.failed; break;
        case CaseOutcome::State::Cancelled: summary.cancelled = true; break;
        }
        if (observer_) observer_(i, outcome);
        summary.outcomes.push_back(std::move(outcome));
        if (summary.cancelled) break;
    }
    writeTables(cases, summary, stop);
    return summary;
}

void CohortRunner::writeTables(const std::vector<CohortCase>& cases, const CohortSummary& summary, std::stop_token stop) const
{
    std::ostringstream table, quality;
    table << CohortTable::kHeader;
    quality << CohortTable::kQualityHeader;
    for (const auto& c : cases) { // every finished case, this run's and earlier runs', in manifest order
        const fs::path bundle = c.bundleDir(options_.outDir);
        std::error_code ec;
        if (!finished(bundle) || !fs::exists(bundle / "metrics.json", ec)) continue;
        const json metrics = readJsonFile(bundle / "metrics.json");
        table << CohortTable::csvLines(c.subject, c.timepoint, CohortTable::rowsFromMetrics(metrics));
        quality << CohortTable::qualityLine(c.subject, c.timepoint, metrics);
    }
    io::writeTextFile(options_.outDir / "cohort.csv", table.str());
    io::writeTextFile(options_.outDir / "cohort_quality.csv", quality.str());
    std::ostringstream failures;
    failures << "subject,timepoint,image,error\n";
    for (const auto& o : summary.outcomes) {
        if (o.state != CaseOutcome::State::Failed) continue;
        failures << io::csvQuoted(o.item.subject) << ',' << io::csvQuoted(o.item.timepoint) << ','
                 << io::csvQuoted(o.item.image.string()) << ',' << io::csvQuoted(oneLine(o.message)) << '\n';
    }
    io::writeTextFile(options_.outDir / "failures.csv", failures.str());
    if (!stop.stop_requested()) writeChanges(cases, stop); // a cancelled cohort keeps the change tables it had
}

void CohortRunner::writeChanges(const std::vector<CohortCase>& cases, std::stop_token stop) const
{
    // Subjects with two or more finished timepoints, in manifest order: each later one against the first.
    std::vector<std::string> subjects;
    std::map<std::string, std::vector<const CohortCase*>> finishedBySubject;
    for (const auto& c : cases) {
        std::error_code ec;
        const fs::path bundle = c.bundleDir(options_.outDir);
        if (!finished(bundle) || !fs::exists(bundle / "metrics.json", ec)) continue;
        if (!finishedBySubject.contains(c.subject)) subjects.push_back(c.subject);
        finishedBySubject[c.subject].push_back(&c);
    }
    std::string all = std::string("subject,baseline,followup,") + results::TimepointChange::kHeader;
    std::string failures = "subject,baseline,followup,error\n";
    bool any = false, anyFailed = false;
    for (const auto& subject : subjects) {
        const auto& tps = finishedBySubject[subject];
        if (tps.size() < 2) continue;
        const fs::path baseDir = tps.front()->bundleDir(options_.outDir);
        if (!readJsonFile(baseDir / "metrics.json").contains("thickness_mm")) continue; // not a knee cohort
        std::string table = std::string("baseline,followup,") + results::TimepointChange::kHeader;
        for (std::size_t i = 1; i < tps.size(); ++i) {
            const std::string pair = io::csvQuoted(tps.front()->timepoint) + ',' + io::csvQuoted(tps[i]->timepoint) + ',';
            try {
                const auto c = results::TimepointComparison::run(baseDir, tps[i]->bundleDir(options_.outDir), {}, {}, stop);
                if (!c.aligned()) throw InvalidArgument(c.misalignment());
                c.write(options_.outDir / subject / ("change_" + tps[i]->timepoint));
                table += results::TimepointChange::csvLines(c.rows, pair);
                all += results::TimepointChange::csvLines(c.rows, io::csvQuoted(subject) + ',' + pair);
                any = true;
            } catch (const Cancelled&) {
                return;
            } catch (const Error& e) { // e.g. quality control withheld one timepoint's tables, or two different knees
                failures += io::csvQuoted(subject) + ',' + pair + io::csvQuoted(oneLine(e.what())) + '\n';
                anyFailed = true;
            }
        }
        io::writeTextFile(options_.outDir / subject / "change.csv", table);
    }
    if (any) io::writeTextFile(options_.outDir / "change.csv", all);
    if (anyFailed) io::writeTextFile(options_.outDir / "change_failures.csv", failures);
}

} // namespace strata::cohort
