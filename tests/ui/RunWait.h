#pragma once

#include <strata/ui/RunQueue.h>

#include <QElapsedTimer>
#include <QtTest>

namespace strata::ui::test {

/// Spins the event loop until run `id` has finished (its state) or timeoutMs passed (State::Running).
inline RunJob::State waitForRun(const RunQueue& queue, int id, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (t.elapsed() < timeoutMs) {
        const RunJob* j = queue.job(id);
        if (j && j->finished()) {
            return j->state;
        }
        QTest::qWait(50);
    }
    return RunJob::State::Running;
}

} // namespace strata::ui::test
