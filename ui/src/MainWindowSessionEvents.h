#pragma once

#include "strata/ui/MainWindow.h"

namespace strata::ui {

/// The Session's listener in the GUI: each event becomes what the window shows (progress, messages, the current
/// dataset, surfaces, the Results panel). Defined in MainWindowJobs.cpp.
class MainWindow::SessionEvents : public SessionListener {
public:
    explicit SessionEvents(MainWindow& window) : w_(window) {}
    void refused(SessionRefusal why, const std::filesystem::path& path, const std::string& detail) override;
    void jobStarted(const SessionJob& job) override;
    void jobProgress(double fraction, const std::string& message) override;
    void jobEnded(const SessionJob& job) override;
    void jobCancelled(const SessionJob& job) override;
    void jobFailed(const SessionJob& job, const std::string& message) override;
    void datasetOpened(int index, const std::filesystem::path& source) override;
    void labelMapLoaded(const std::shared_ptr<Dataset>& ds, const std::filesystem::path& file) override;
    void surfacesReady(const std::shared_ptr<Dataset>& ds, const std::shared_ptr<const SurfaceInput>& surfaces,
                       const std::set<int>& touched) override;
    void resultLoaded(const AttachedResult& result) override;
    void jobsSettled() override;

private:
    MainWindow& w_;
};

} // namespace strata::ui
