#pragma once

#include "strata/cohort/CohortManifest.h"
#include "strata/pipeline/Executor.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <stop_token>
#include <string>
#include <vector>

namespace strata::cohort {

/// What every case of a cohort is run with: the pipeline, its parameters, the device and threads, and the folder
/// the bundles go under.
struct CohortOptions {
    std::string pipeline{"knee-mri"};
    nlohmann::json parameters = nlohmann::json::object();
    std::string device{"auto"};
    int threads{0};
    std::filesystem::path outDir;
};

/// What happened to one case in this run.
struct CaseOutcome {
    enum class State { Succeeded, Skipped, Failed, Cancelled };
    CohortCase item;
    State state{State::Failed};
    std::string message;
};

/// What CohortRunner::run did: the cases counted by outcome, and each case's outcome in the order they were run.
struct CohortSummary {
    std::size_t succeeded{0}; ///< run now
    std::size_t skipped{0};   ///< finished by an earlier run (their bundles are kept and tabled)
    std::size_t failed{0};
    bool cancelled{false};
    std::vector<CaseOutcome> outcomes;
};

/// Runs one pipeline on every case of a cohort with any Executor (this machine or a server), collecting one case
/// after the other (the unfinished cases are announced to the executor first, so a server runs them side by side
/// as one job group; see Executor::announce): each bundle goes to <out>/<subject>/<timepoint>/; a case whose bundle is already there and succeeded
/// is skipped (a rerun resumes); a failing case is recorded and the others go on (a knee that quality control
/// calls not_a_knee counts as failed; its bundle stays). Afterwards <out>/cohort.csv holds every finished case's
/// measurements as a long table (CohortTable), <out>/cohort_quality.csv each case's quality verdict, confidence
/// and reasons, <out>/failures.csv the failures of this run (subject,timepoint,image,error), and for subjects with
/// several finished timepoints <out>/<subject>/change.csv and change_<timepoint>/ (cartilage change against the first; see writeChanges). Progress goes to the sink: `overall` is the cohort's, the message
/// names the case ("case 3/40 s012/baseline: Segmenting ...").
class CohortRunner {
public:
    CohortRunner(pipeline::Executor& executor, CohortOptions options);

    CohortSummary run(const std::vector<CohortCase>& cases, pipeline::ProgressSink& sink, std::stop_token stop);

    /// Called on the running thread after each case with its index in `cases` and its outcome (the one the summary
    /// gets), so that a view can follow the run case by case.
    using CaseObserver = std::function<void(std::size_t index, const CaseOutcome& outcome)>;
    void setCaseObserver(CaseObserver observer) { observer_ = std::move(observer); }

    /// Whether a case's bundle exists and its provenance says it succeeded.
    [[nodiscard]] static bool finished(const std::filesystem::path& bundleDir);

private:
    /// The run of one case (its bundle folder as output); throws when its image is missing or the pipeline cannot
    /// take it.
    pipeline::RunRequest requestFor(const CohortCase& item, const pipeline::PipelineManifest* manifest) const;
    /// `manifest`: the pipeline's, or null when the executor has no such pipeline (the case fails saying so).
    CaseOutcome runCase(const CohortCase& item, const pipeline::PipelineManifest* manifest, std::size_t index,
                        std::size_t count, pipeline::ProgressSink& sink, std::stop_token stop);
    void writeTables(const std::vector<CohortCase>& cases, const CohortSummary& summary, std::stop_token stop) const;
    /// <out>/<subject>/change.csv for every subject with two or more finished knee timepoints (each later one
    /// against the first in manifest order), <out>/<subject>/change_<timepoint>/ with its change map and bone
    /// alignments, <out>/change.csv with all of them (results::TimepointComparison) and <out>/change_failures.csv
    /// for pairs that could not be compared (withheld tables, bones that do not align).
    void writeChanges(const std::vector<CohortCase>& cases, std::stop_token stop) const;
    /// A finished case that quality control found to be no knee counts as failed (it has nothing to table).
    void judgeQuality(CaseOutcome& outcome) const;

    pipeline::Executor& executor_;
    CohortOptions options_;
    CaseObserver observer_;
};

} // namespace strata::cohort
