#pragma once

#include <strata/pipeline/ProgressSink.h>

#include <QObject>
#include <QPointer>

#include <functional>

namespace strata::ui {

/// Hands progress from a run's worker thread to a QObject's thread (queued call), where `deliver` runs.
class RunProgressSink : public pipeline::ProgressSink {
public:
    RunProgressSink(QObject* receiver, std::function<void(const pipeline::ProgressEvent&)> deliver);
    void progress(const pipeline::ProgressEvent& event) override;

private:
    QPointer<QObject> receiver_;
    std::function<void(const pipeline::ProgressEvent&)> deliver_;
};

} // namespace strata::ui
