#include "strata/ui/session/Session.h"

#include "strata/ui/DatasetLoader.h"
#include "strata/ui/SurfaceInputBuilder.h"
#include "strata/ui/session/ResultLoad.h"

#include <strata/Error.h>
#include <strata/results/Provenance.h>

#include <algorithm>
#include <cmath>

namespace strata::ui {

/// What a job hands back to the owner's thread (plain data only).
struct SessionJobResult {
    std::shared_ptr<Dataset> dataset;
    std::shared_ptr<const LabelMap> labels;
    std::shared_ptr<const SurfaceInput> surfaces;
    LoadedResult result;
    std::string error;
    bool cancelled{false};
};

namespace {

namespace fs = std::filesystem;

bool samePath(const fs::path& a, const fs::path& b)
{
    std::error_code ec1, ec2;
    const auto ca = fs::weakly_canonical(a, ec1), cb = fs::weakly_canonical(b, ec2);
    return !ec1 && !ec2 ? ca == cb : a == b;
}

/// Same grid as the knee pipeline's check of given labels: size, spacing (0.1 %), origin (1 % of the smallest
/// voxel side), direction (1e-3 per entry).
bool sameGrid(const Image& a, const Image& b)
{
    if (a.size() != b.size()) {
        return false;
    }
    const double minSpacing = std::min({b.spacing()[0], b.spacing()[1], b.spacing()[2]});
    for (int i = 0; i < 3; ++i) {
        if (std::abs(a.spacing()[i] - b.spacing()[i]) > 1e-3 * b.spacing()[i] ||
            std::abs(a.origin()[i] - b.origin()[i]) > 0.01 * minSpacing) {
            return false;
        }
    }
    for (int i = 0; i < 9; ++i) {
        if (std::abs(a.direction()[i] - b.direction()[i]) > 1e-3) {
            return false;
        }
    }
    return true;
}

/// Runs on the worker thread: paths in, Image / LabelMap / SurfaceInput / bundle out.
void runJob(const SessionJob& job, const BackgroundRunner::Task& task, const ProgressFn& progress, SessionJobResult& r)
{
    try {
        switch (job.kind) {
        case SessionJob::Kind::Image: r.dataset = DatasetLoader::load(job.path, task.stop, progress); break;
        case SessionJob::Kind::Labels:
            r.labels = DatasetLoader::loadLabels(job.path, task.stop, progress, job.target ? job.target->image.get() : nullptr);
            break;
        case SessionJob::Kind::Surfaces:
            r.surfaces = SurfaceInputBuilder::build(job.labels ? *job.labels : *job.target->labels, task.stop, progress,
                                                    6'000'000, job.touched);
            break;
        case SessionJob::Kind::Result: r.result = loadResult(job.path, job.target != nullptr, task.stop, progress); break;
        }
        if (task.stop.stop_requested()) {
            r.cancelled = true;
        }
    } catch (const Cancelled&) {
        r.cancelled = true;
    } catch (const std::exception& e) {
        r.error = e.what();
    } catch (...) {
        r.error = "Unknown error.";
    }
}

} // namespace

Session::Session(SessionListener& listener, BackgroundRunner::Post post) : listener_(listener), runner_(std::move(post)) {}

Session::~Session()
{
    queue_.clear();
    // runner_'s destructor stops and waits for the running job.
}

bool Session::setCurrent(int index)
{
    if (index < -1 || index >= static_cast<int>(datasets_.size())) {
        return false;
    }
    current_ = index;
    return true;
}

std::shared_ptr<Dataset> Session::currentDataset() const
{
    return current_ >= 0 ? datasets_[static_cast<std::size_t>(current_)] : nullptr;
}

int Session::indexOf(const Dataset* ds) const
{
    const auto it = std::find_if(datasets_.begin(), datasets_.end(), [ds](const auto& d) { return d.get() == ds; });
    return it == datasets_.end() ? -1 : static_cast<int>(it - datasets_.begin());
}

void Session::close(int index)
{
    if (index < 0 || index >= static_cast<int>(datasets_.size())) {
        return;
    }
    const auto ds = datasets_[static_cast<std::size_t>(index)];
    surfaceCache_.erase(ds.get());
    std::erase_if(queue_, [&](const SessionJob& j) { return j.target == ds; });
    if (runner_.running() && runningJob_.target == ds) {
        runner_.requestStop();
    }
    datasets_.erase(datasets_.begin() + index);
    current_ = -1;
}

void Session::openPaths(const std::vector<fs::path>& paths)
{
    for (const fs::path& p : paths) {
        std::error_code ec;
        if (!fs::exists(p, ec)) {
            listener_.refused(SessionRefusal::MissingFile, p, {});
            continue;
        }
        if (fs::is_directory(p, ec) && results::ResultBundle::isBundle(p)) {
            openResult(p); // a result folder (command line, drag and drop): its scan and result, not a DICOM search
            continue;
        }
        queue_.push_back({SessionJob::Kind::Image, p, nullptr});
    }
    startNext();
}

void Session::openSegmentation(const fs::path& path)
{
    if (current_ < 0) {
        listener_.refused(SessionRefusal::NoImage, path, {});
        return;
    }
    queue_.push_back({SessionJob::Kind::Labels, path, currentDataset()});
    startNext();
}

void Session::openResult(const fs::path& bundleDir)
{
    if (!results::ResultBundle::isBundle(bundleDir)) {
        listener_.refused(SessionRefusal::NotAResult, bundleDir, {});
        return;
    }
    std::shared_ptr<Dataset> target; // the open dataset it was computed from (the last of several)
    try {
        const fs::path input = results::readProvenance(bundleDir).firstInputPath();
        for (const auto& d : datasets_) {
            if (!input.empty() && samePath(d->path, input)) {
                target = d;
            }
        }
    } catch (const std::exception& e) {
        listener_.refused(SessionRefusal::ProvenanceUnreadable, bundleDir, e.what());
        return;
    }
    queue_.push_back({SessionJob::Kind::Result, bundleDir, target});
    startNext();
}

void Session::queueSurfaces(const std::shared_ptr<Dataset>& ds, std::set<int> touched)
{
    if (!ds || !ds->labels) {
        return;
    }
    const auto same = [&](const SessionJob& j) { return j.kind == SessionJob::Kind::Surfaces && j.target == ds; };
    if (std::any_of(queue_.begin(), queue_.end(), same) || (runner_.running() && same(runningJob_))) {
        return;
    }
    queue_.push_back({SessionJob::Kind::Surfaces, {}, ds, std::make_shared<const LabelMap>(*ds->labels), std::move(touched)});
    startNext();
}

std::shared_ptr<const SurfaceInput> Session::cachedSurfaces(const Dataset* ds) const
{
    const auto it = surfaceCache_.find(ds);
    return it == surfaceCache_.end() ? nullptr : it->second;
}

void Session::forgetSurfaces(const Dataset* ds) { surfaceCache_.erase(ds); }

void Session::cancel()
{
    queue_.clear();
    runner_.requestStop();
}

void Session::startNext()
{
    if (runner_.running() || queue_.empty()) {
        return;
    }
    runningJob_ = queue_.front();
    queue_.pop_front();
    const SessionJob job = runningJob_;
    listener_.jobStarted(job);
    auto result = std::make_shared<SessionJobResult>();
    runner_.start(
        [this, job, result](const BackgroundRunner::Task& task) {
            const ProgressFn progress = [this, post = task.post](double f, const std::string& m) {
                post([this, f, m] { listener_.jobProgress(f, m); });
            };
            runJob(job, task, progress, *result);
        },
        [this, job, result] { finish(job, *result); });
}

void Session::finish(const SessionJob& job, const SessionJobResult& result)
{
    listener_.jobEnded(job);
    if (result.cancelled) {
        listener_.jobCancelled(job);
    } else if (!result.error.empty()) {
        listener_.jobFailed(job, result.error);
    } else {
        switch (job.kind) {
        case SessionJob::Kind::Image:
            datasets_.push_back(result.dataset);
            listener_.datasetOpened(static_cast<int>(datasets_.size()) - 1, job.path);
            break;
        case SessionJob::Kind::Labels:
            if (indexOf(job.target.get()) >= 0) {
                // Another label map of the image, next to those it has (results, edited copies), and shown.
                job.target->addLabelMap({"loaded: " + job.path.filename().string(), result.labels, job.path});
                surfaceCache_.erase(job.target.get());
                listener_.labelMapLoaded(job.target, job.path);
            }
            break;
        case SessionJob::Kind::Surfaces:
            // After an edit only the touched labels' surfaces come (nothing cached); a closed dataset's are dropped.
            if (job.touched.empty() && indexOf(job.target.get()) >= 0) {
                surfaceCache_[job.target.get()] = result.surfaces;
            }
            listener_.surfacesReady(job.target, result.surfaces, job.touched);
            break;
        case SessionJob::Kind::Result: attach(job, result); break;
        }
    }
    startNext();
    listener_.jobsSettled();
}

void Session::attach(const SessionJob& job, const SessionJobResult& result)
{
    const LoadedResult& loaded = result.result;
    if (!loaded.bundle) {
        return;
    }
    AttachedResult out{job.target ? job.target : loaded.dataset, false, loaded.bundle, loaded.report, job.path, {}};
    if (Dataset* target = out.dataset.get()) {
        const auto& bundle = *loaded.bundle;
        out.newDataset = indexOf(target) < 0;
        // The result's segmentation joins the image's label maps (a ground truth or edited copy loaded stays listed).
        if (bundle.segmentation) {
            const LabelMapEntry* before = target->labelMaps.shown();
            const fs::path path = bundle.dir / "segmentation.nii.gz";
            if (before && before->labels != bundle.segmentation && before->path != path) {
                out.keptMap = before->name;
            }
            target->addLabelMap({resultMapName(loaded.provenance), bundle.segmentation, path});
        }
        target->thickness = bundle.thickness;
        target->thicknessMax = loaded.thicknessMax;
        target->result = loaded.bundle;
        target->report = loaded.report;
        surfaceCache_.erase(target);
        if (out.newDataset) {
            datasets_.push_back(out.dataset);
        }
    }
    listener_.resultLoaded(out);
}

std::vector<Session::LabelOverlay> Session::labelOverlays() const
{
    std::vector<LabelOverlay> overlays;
    for (const auto& d : datasets_) {
        if (!d->labels || d->labelsPath.empty()) {
            continue;
        }
        LabelOverlay o{d->name, d->labelsPath, {}};
        for (const auto& e : datasets_) {
            if (e->image && sameGrid(d->labels->image(), *e->image)) {
                o.sameGridInputs.push_back(e->path);
            }
        }
        overlays.push_back(std::move(o));
    }
    return overlays;
}

} // namespace strata::ui
