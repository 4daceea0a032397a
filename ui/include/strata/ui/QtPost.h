#pragma once

#include "strata/ui/session/BackgroundRunner.h"

#include <QMetaObject>
#include <QObject>

namespace strata::ui {

/// A BackgroundRunner::Post that runs calls on `receiver`'s thread (a queued call; dropped with the receiver). The
/// runner must not outlive the receiver (make it a member of it).
inline BackgroundRunner::Post postTo(QObject* receiver)
{
    return [receiver](std::function<void()> f) { QMetaObject::invokeMethod(receiver, std::move(f), Qt::QueuedConnection); };
}

} // namespace strata::ui
