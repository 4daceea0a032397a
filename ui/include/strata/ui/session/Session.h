#pragma once

#include "strata/ui/Dataset.h"
#include "strata/ui/SurfaceInput.h"
#include "strata/ui/session/BackgroundRunner.h"

#include <strata/results/ReportData.h>
#include <strata/results/ResultBundle.h>

#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace strata::ui {

struct SessionJobResult;

/// A load the session runs off the owner's thread, one after another.
struct SessionJob {
    enum class Kind { Image, Labels, Surfaces, Result };
    Kind kind{Kind::Image};
    std::filesystem::path path;       ///< Image, Labels: the file or folder; Result: the bundle folder
    std::shared_ptr<Dataset> target;  ///< Labels, Surfaces: the dataset they belong to; Result: the one it was computed from, if open
    /// Surfaces: a copy of the labels taken when queued (the editor may change the dataset's meanwhile).
    std::shared_ptr<const LabelMap> labels{};
    /// Surfaces after an edit: only these labels' surfaces are replaced (empty: all are built).
    std::set<int> touched{};
};

/// Why the session did not queue what it was asked to (the GUI words it).
enum class SessionRefusal {
    MissingFile,          ///< openPaths: the path does not exist
    NoImage,              ///< openSegmentation: no dataset is open
    NotAResult,           ///< openResult: the folder has no provenance.json
    ProvenanceUnreadable, ///< openResult: provenance.json cannot be read (detail says why)
};

/// A result bundle that has been read and attached (resultLoaded).
struct AttachedResult {
    /// The dataset it is shown on (null: a batch result, OCR pages or a gallery, with no image to show it on).
    std::shared_ptr<Dataset> dataset;
    bool newDataset{false}; ///< its scan was opened for it (and appended to datasets())
    std::shared_ptr<const results::ResultBundle> bundle;
    std::shared_ptr<const results::ReportData> report;
    std::filesystem::path dir; ///< the folder as it was asked for
    /// The name of the label map shown before when the result's segmentation now hides another one (a loaded ground
    /// truth, an edited copy, an earlier run), else empty.
    std::string keptMap;
};

/// What the session tells its owner; every call comes on the owner's thread.
class SessionListener {
public:
    virtual ~SessionListener() = default;
    virtual void refused(SessionRefusal why, const std::filesystem::path& path, const std::string& detail) = 0;
    virtual void jobStarted(const SessionJob& job) = 0;
    virtual void jobProgress(double fraction, const std::string& message) = 0;
    /// A job has ended (before its outcome below): the progress display can go.
    virtual void jobEnded(const SessionJob& job) = 0;
    virtual void jobCancelled(const SessionJob& job) = 0;
    virtual void jobFailed(const SessionJob& job, const std::string& message) = 0;
    /// An image job's dataset was appended at `index`.
    virtual void datasetOpened(int index, const std::filesystem::path& source) = 0;
    /// A label file was added to `ds`'s label maps and is shown.
    virtual void labelMapLoaded(const std::shared_ptr<Dataset>& ds, const std::filesystem::path& file) = 0;
    /// Surfaces of `ds` are ready (`touched`: only those labels', after an edit; else all of them, now cached).
    virtual void surfacesReady(const std::shared_ptr<Dataset>& ds, const std::shared_ptr<const SurfaceInput>& surfaces,
                               const std::set<int>& touched) = 0;
    virtual void resultLoaded(const AttachedResult& result) = 0;
    /// After a job's outcome and the start of the next one, if any: the owner may check whether all is idle.
    virtual void jobsSettled() = 0;
};

/// The workstation's document model without Qt: the open datasets and the current one, the results attached to
/// them, cached surface inputs, and the loads (images, label maps, surfaces, result bundles) queued and run one at
/// a time on a BackgroundRunner. MainWindow adapts it to views and panels; unit tests drive it with no display.
class Session {
public:
    Session(SessionListener& listener, BackgroundRunner::Post post);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    const std::vector<std::shared_ptr<Dataset>>& datasets() const { return datasets_; }
    int current() const { return current_; }
    /// Makes dataset `index` the current one (no check beyond the range; -1: none). False when out of range.
    bool setCurrent(int index);
    std::shared_ptr<Dataset> currentDataset() const;
    /// The index of `ds` in datasets(), or -1.
    int indexOf(const Dataset* ds) const;
    /// Closes dataset `index`: its cached surfaces, queued jobs and a running job for it go (the running one is
    /// asked to stop); current() becomes -1 (the owner picks the next one).
    void close(int index);

    /// Queues image files or DICOM folders (absolute paths), one after another; a result folder is opened as a
    /// result (openResult); a path that does not exist is refused.
    void openPaths(const std::vector<std::filesystem::path>& paths);
    /// Queues a label map file for the current dataset (refused without one).
    void openSegmentation(const std::filesystem::path& path);
    /// Queues a result bundle: onto the open dataset its provenance names as input, else its scan is opened too.
    void openResult(const std::filesystem::path& bundleDir);
    /// Queues the surfaces of `ds` from a copy of its shown labels unless such a job is queued or running.
    void queueSurfaces(const std::shared_ptr<Dataset>& ds, std::set<int> touched = {});
    /// The surfaces prepared for `ds`'s shown labels, or null.
    std::shared_ptr<const SurfaceInput> cachedSurfaces(const Dataset* ds) const;
    /// Forgets `ds`'s cached surfaces (its labels changed).
    void forgetSurfaces(const Dataset* ds);

    /// A job runs or is queued.
    bool busy() const { return runner_.running() || !queue_.empty(); }
    bool running() const { return runner_.running(); }
    const std::deque<SessionJob>& queued() const { return queue_; }
    /// Clears the queue and asks the running job to stop.
    void cancel();

    /// A label map of one dataset that has a file, and the open images on its grid (for a pipeline's label input).
    struct LabelOverlay {
        std::string name;
        std::filesystem::path labelsPath;
        std::vector<std::filesystem::path> sameGridInputs;
    };
    std::vector<LabelOverlay> labelOverlays() const;

private:
    void startNext();
    void finish(const SessionJob& job, const SessionJobResult& result);
    void attach(const SessionJob& job, const SessionJobResult& result);

    SessionListener& listener_;
    std::vector<std::shared_ptr<Dataset>> datasets_;
    int current_{-1};
    std::map<const Dataset*, std::shared_ptr<const SurfaceInput>> surfaceCache_;
    std::deque<SessionJob> queue_;
    SessionJob runningJob_;
    BackgroundRunner runner_; // last: destroyed (and its worker joined) first
};

} // namespace strata::ui
