#include "strata/ui/RunProgressSink.h"

#include <QMetaObject>

namespace strata::ui {

RunProgressSink::RunProgressSink(QObject* receiver, std::function<void(const pipeline::ProgressEvent&)> deliver)
    : receiver_(receiver), deliver_(std::move(deliver))
{
}

void RunProgressSink::progress(const pipeline::ProgressEvent& event)
{
    if (QObject* r = receiver_.data()) {
        QMetaObject::invokeMethod(r, [deliver = deliver_, event] { deliver(event); }, Qt::QueuedConnection);
    }
}

} // namespace strata::ui
