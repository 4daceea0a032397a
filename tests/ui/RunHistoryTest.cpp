// The run history survives a restart: finished runs saved to a JSON file (newest 200), restored into the queue
// and its view in order, a damaged file set aside with a warning, "clear finished" empties file and view.
#include <strata/ui/RunHistoryStore.h>
#include <strata/ui/RunHistoryView.h>
#include <strata/ui/RunQueue.h>

#include <QApplication>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace strata::ui;

namespace {

RunJob finishedJob(int id, RunJob::State state)
{
    RunJob j;
    j.id = id;
    j.request.pipeline = "knee-mri";
    j.request.inputs["image"] = "/data/knee" + std::to_string(id) + ".nii.gz";
    j.request.parameters = {{"meshes", false}, {"threads", 2}};
    j.request.device = "cpu";
    j.pipelineTitle = QStringLiteral("Knee MRI");
    j.inputName = QStringLiteral("knee%1").arg(id);
    j.targetId = QStringLiteral("local");
    j.targetTitle = QStringLiteral("This computer");
    j.state = state;
    j.message = state == RunJob::State::Failed ? QStringLiteral("model not found") : QString();
    j.queuedAt = QDateTime(QDate(2026, 11, 26), QTime(9, 0, id % 60));
    j.startedAt = j.queuedAt.addSecs(1);
    j.finishedAt = j.queuedAt.addSecs(20);
    j.bundleDir = state == RunJob::State::Succeeded ? QStringLiteral("/results/run%1").arg(id) : QString();
    return j;
}

} // namespace

class RunHistoryTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void storeRoundTripsFinishedRunsOnly()
    {
        QTemporaryDir dir;
        const RunHistoryStore store(dir.filePath(QStringLiteral("sub/history.json")));
        std::vector<RunJob> jobs{finishedJob(1, RunJob::State::Succeeded), finishedJob(2, RunJob::State::Failed),
                                 finishedJob(3, RunJob::State::Cancelled)};
        RunJob running = finishedJob(4, RunJob::State::Running);
        jobs.push_back(running);
        QVERIFY(store.save(jobs));
        const auto back = store.load();
        QCOMPARE(back.size(), 3u); // the running one is not history yet
        QCOMPARE(back[0].state, RunJob::State::Succeeded);
        QCOMPARE(back[0].bundleDir, QStringLiteral("/results/run1"));
        QCOMPARE(back[0].request.inputs.at("image").string(), std::string("/data/knee1.nii.gz"));
        QCOMPARE(back[0].request.parameters.at("threads").get<int>(), 2);
        QCOMPARE(back[0].startedAt, jobs[0].startedAt);
        QCOMPARE(back[0].durationSeconds(), 19.0);
        QCOMPARE(back[1].state, RunJob::State::Failed);
        QCOMPARE(back[1].message, QStringLiteral("model not found"));
        QCOMPARE(back[2].state, RunJob::State::Cancelled);
        QCOMPARE(back[2].targetTitle, QStringLiteral("This computer"));
    }

    void keepsTheNewestRuns()
    {
        QTemporaryDir dir;
        const RunHistoryStore store(dir.filePath(QStringLiteral("history.json")));
        std::vector<RunJob> jobs;
        for (int i = 1; i <= 250; ++i) {
            jobs.push_back(finishedJob(i, RunJob::State::Succeeded));
        }
        QVERIFY(store.save(jobs));
        const auto back = store.load();
        QCOMPARE(back.size(), RunHistoryStore::kMaxRuns);
        QCOMPARE(back.front().inputName, QStringLiteral("knee51"));
        QCOMPARE(back.back().inputName, QStringLiteral("knee250"));
    }

    void damagedFileIsSetAsideWithAWarning()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("history.json"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"runs\": [ {\"id\": 1, ");
        f.close();
        QString warning;
        QVERIFY(RunHistoryStore(file).load(&warning).empty());
        QVERIFY2(warning.contains(QStringLiteral("set aside")), qPrintable(warning));
        QVERIFY(QFile::exists(file + QStringLiteral(".damaged")));
        QVERIFY(!QFile::exists(file));
    }

    void queueRestoresTheHistoryAndClearsIt()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("history.json"));
        QVERIFY(RunHistoryStore(file).save({finishedJob(7, RunJob::State::Succeeded), finishedJob(9, RunJob::State::Failed)}));

        RunQueue queue;
        RunHistoryView view(&queue);
        QVERIFY(queue.useHistoryFile(file).isEmpty());
        QCOMPARE(queue.jobs().size(), 2u);
        QCOMPARE(queue.job(1)->inputName, QStringLiteral("knee7")); // renumbered in their order
        QCOMPARE(queue.job(2)->state, RunJob::State::Failed);
        QCOMPARE(view.rowCount(), 2);
        QCOMPARE(view.item(0, 2)->text(), QStringLiteral("knee9")); // newest on top
        QVERIFY(view.item(0, 4)->text().startsWith(QStringLiteral("failed")));
        QCOMPARE(view.item(1, 6)->text(), QStringLiteral("/results/run7"));

        view.resize(900, 300);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QSignalSpy open(&view, &RunHistoryView::openResultRequested);
        const QPoint at = view.visualItemRect(view.item(1, 1)).center();
        QTest::mouseClick(view.viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(view.viewport(), Qt::LeftButton, {}, at);
        QCOMPARE(open.size(), 1);
        QCOMPARE(open.front().front().toString(), QStringLiteral("/results/run7"));

        queue.clearFinished();
        QCOMPARE(view.rowCount(), 0);
        QVERIFY(RunHistoryStore(file).load().empty());
    }
};

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    RunHistoryTest test;
    return QTest::qExec(&test, argc, argv);
}

#include "RunHistoryTest.moc"
