// The cohort view (issue 18, GUI side): a small cohort of tiny knee phantoms measured with their given labels, a
// corrupt and a missing scan; the table's states and messages after a run, a rerun that skips the finished cases,
// opening a case in the viewer (Enter and double-click), listing the study without running, and Cancel inside a
// case. Runs under Xvfb (the main window has GL views); the picture of the view lands in build/test-output/ui/.
#include <strata/ImageIO.h>
#include <strata/phantom/KneePhantom.h>
#include <strata/ui/CohortModel.h>
#include <strata/ui/CohortPanel.h>
#include <strata/ui/MainWindow.h>
#include <strata/ui/ParameterForm.h>
#include <strata/ui/ResultsPanel.h>
#include <strata/ui/RunTargets.h>

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest/QtTest>

#include <fstream>

using namespace strata;
using namespace strata::ui;
using State = CohortCaseStatus::State;

namespace {

void writeText(const QString& path, const std::string& text) { std::ofstream(path.toStdString()) << text; }

} // namespace

class CohortViewTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    QString outDir_;

    QString path(const QString& rel) const { return tmp_.path() + QLatin1Char('/') + rel; }

    void prepare(MainWindow& w)
    {
        w.setInteractive(false);
        w.setAutoSurfaces(false);
        w.resize(1500, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        // Hidden until Analysis > Run cohort... (Ctrl+Shift+C) shows it.
        auto* dock = w.findChild<QDockWidget*>(QStringLiteral("cohortDock"));
        QVERIFY(dock && !dock->isVisible());
        auto* action = w.findChild<QAction*>(QStringLiteral("actionRunCohort"));
        QVERIFY(action && action->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
        QVERIFY(w.findChild<QAction*>(QStringLiteral("actionOpenCohort")));
        action->trigger();
        QVERIFY(dock->isVisible());
        CohortPanel* p = w.cohortPanel();
        QCOMPARE(p->currentPipelineId(), QStringLiteral("knee-mri")); // the default
        p->parameterForm()->setValues({{"meshes", false}, {"thickness_subvoxel_mm", 0.0}});
    }

    /// Runs the panel's cohort to its end (or fails after timeoutMs).
    static bool runToEnd(CohortPanel* p, int timeoutMs)
    {
        QSignalSpy done(p, &CohortPanel::runFinished);
        if (!p->run()) {
            return false;
        }
        return done.wait(timeoutMs) || !done.isEmpty();
    }

    static State stateOf(const CohortPanel* p, int row) { return p->model()->at(row).state; }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        outDir_ = QStringLiteral(STRATA_TEST_OUTPUT_DIR);
        QDir().mkpath(outDir_);
        // Two tiny knees (coarse voxels: about a second each with their labels given), a corrupt and a missing scan.
        for (int k = 1; k <= 2; ++k) {
            phantom::KneePhantomParams params;
            params.seed = 60 + static_cast<std::uint64_t>(k);
            params.size = {112, 112, 72};
            params.spacing = {0.9, 0.9, 1.55};
            params.rightKnee = k == 1;
            phantom::writeKneePhantom(phantom::generateKneePhantom(params), path(QStringLiteral("k0%1").arg(k)).toStdString());
        }
        writeText(path(QStringLiteral("corrupt.nii.gz")), "this is not an image\n");
        writeText(path(QStringLiteral("cohort.csv")), "subject,timepoint,image,labels\n"
                                                      "k01,baseline,k01/image.nii.gz,k01/labels.nii.gz\n"
                                                      "k02,baseline,k02/image.nii.gz,k02/labels.nii.gz\n"
                                                      "k03,baseline,corrupt.nii.gz,\n"
                                                      "k04,12m,missing.nii.gz,\n");
        // Cancel: the network segments the first case (slow enough to cancel inside it).
        writeText(path(QStringLiteral("network.csv")), "subject,timepoint,image\n"
                                                       "n01,baseline,k01/image.nii.gz\n"
                                                       "n02,baseline,k02/image.nii.gz\n");
    }

    void runRerunOpenAndList()
    {
        MainWindow w;
        prepare(w);
        CohortPanel* p = w.cohortPanel();
        QSignalSpy errors(&w, &MainWindow::errorOccurred);
        const QString study = path(QStringLiteral("study"));
        p->setManifest(path(QStringLiteral("cohort.csv")));
        QCOMPARE(p->studyDir(), study); // suggested beside the manifest
        QCOMPARE(p->model()->rowCount(), 4);
        QCOMPARE(p->model()->count(State::Pending), 4);

        QElapsedTimer t;
        t.start();
        QVERIFY(runToEnd(p, 120000));
        qInfo("cohort of 4 cases ran in %lld ms", static_cast<long long>(t.elapsed()));
        QVERIFY(!p->running());
        QCOMPARE(errors.size(), 0);
        QCOMPARE(stateOf(p, 0), State::Done);
        QCOMPARE(stateOf(p, 1), State::Done);
        QCOMPARE(stateOf(p, 2), State::Failed);
        QCOMPARE(stateOf(p, 3), State::Failed);
        const CohortModel* m = p->model();
        QVERIFY(!m->at(0).verdict.isEmpty());
        QCOMPARE(m->data(m->index(0, CohortModel::StateColumn), Qt::DisplayRole).toString(), QStringLiteral("done"));
        QCOMPARE(m->data(m->index(0, CohortModel::Verdict), Qt::DisplayRole).toString(), m->at(0).verdict);
        // A failed case says why, in its row and as the tooltip.
        QVERIFY2(!m->at(2).message.isEmpty(), "the corrupt scan's failure has no message");
        QVERIFY(m->data(m->index(2, CohortModel::Message), Qt::ToolTipRole).toString().contains(m->at(2).message));
        QVERIFY2(m->at(3).message.contains(QStringLiteral("does not exist")), qPrintable(m->at(3).message));
        QCOMPARE(m->data(m->index(3, CohortModel::Message), Qt::DisplayRole).toString(), m->at(3).message);
        QCOMPARE(p->progressBar()->value(), 1000);
        QVERIFY2(p->statusLabel()->text().contains(QStringLiteral("2 done")), qPrintable(p->statusLabel()->text()));
        QVERIFY(QFileInfo::exists(study + QStringLiteral("/k01/baseline/provenance.json")));
        QVERIFY(QFileInfo::exists(study + QStringLiteral("/cohort.csv")));
        QVERIFY(QFileInfo::exists(study + QStringLiteral("/failures.csv")));

        // The picture: the whole window with the cohort dock after the run, and the panel alone.
        p->table()->selectRow(2);
        QVERIFY(w.grabScreenshot().save(outDir_ + QStringLiteral("/cohort_window.png")));
        QVERIFY(p->grab().save(outDir_ + QStringLiteral("/cohort_panel.png")));

        // A rerun skips what finished; the failed cases run (and fail) again.
        QVERIFY(runToEnd(p, 60000));
        QCOMPARE(stateOf(p, 0), State::Skipped);
        QCOMPARE(stateOf(p, 1), State::Skipped);
        QCOMPARE(stateOf(p, 2), State::Failed);
        QCOMPARE(stateOf(p, 3), State::Failed);
        QCOMPARE(m->data(m->index(0, CohortModel::StateColumn), Qt::DisplayRole).toString(), QStringLiteral("skipped (finished earlier)"));
        QCOMPARE(p->lastSummary().skipped, std::size_t{2});

        // Open a case: Enter on the first, then a double-click on the second; a failed case has nothing to open.
        QVERIFY(w.datasets().empty());
        p->table()->setFocus();
        p->table()->setCurrentIndex(m->index(0, 0));
        QTest::keyClick(p->table(), Qt::Key_Return);
        QTRY_VERIFY_WITH_TIMEOUT(w.resultsPanel()->hasResult() && !w.busy(), 60000);
        QCOMPARE(w.datasets().size(), std::size_t{1});
        QVERIFY(w.datasets()[0]->labels && w.datasets()[0]->result);
        QCOMPARE(QString::fromStdString(w.datasets()[0]->result->dir.string()), study + QStringLiteral("/k01/baseline"));
        const QRect cell = p->table()->visualRect(m->index(1, CohortModel::Subject));
        QSignalSpy opened(p, &CohortPanel::openCaseRequested);
        QTest::mouseClick(p->table()->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(p->table()->viewport(), Qt::LeftButton, {}, cell.center());
        QCOMPARE(opened.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(w.datasets().size() == 2 && !w.busy(), 60000);
        QVERIFY(w.datasets()[1]->result);
        QCOMPARE(QString::fromStdString(w.datasets()[1]->result->dir.string()), study + QStringLiteral("/k02/baseline"));
        p->openCase(3);
        QVERIFY2(p->statusLabel()->text().contains(QStringLiteral("no result")), qPrintable(p->statusLabel()->text()));
        QCOMPARE(w.datasets().size(), std::size_t{2});
        QCOMPARE(errors.size(), 0);

        // Open cohort results: the study as a fresh window finds it, without running anything.
        MainWindow other;
        other.setInteractive(false);
        CohortPanel* q = other.cohortPanel();
        QVERIFY(q->openStudy(study));
        QCOMPARE(q->model()->rowCount(), 4);
        QCOMPARE(q->model()->at(0).subject, QStringLiteral("k01"));
        QCOMPARE(q->model()->at(0).state, State::Done);
        QVERIFY(q->model()->at(0).image.endsWith(QStringLiteral("k01/image.nii.gz")));
        QVERIFY(q->model()->at(0).labels.endsWith(QStringLiteral("k01/labels.nii.gz")));
        QCOMPARE(q->model()->at(1).state, State::Done);
        QCOMPARE(q->model()->at(2).state, State::Failed); // from failures.csv
        QCOMPARE(q->model()->at(2).message, m->at(2).message);
        QCOMPARE(q->model()->at(3).subject, QStringLiteral("k04"));
        QVERIFY(q->model()->at(3).message.contains(QStringLiteral("does not exist")));
        QVERIFY(!q->running());
        q->resize(1400, 300);
        QVERIFY(q->grab().save(outDir_ + QStringLiteral("/cohort_study_listed.png")));
        QVERIFY(!q->openStudy(path(QStringLiteral("k01")))); // a scan's folder is no study
    }

    // The folders and the last cohort come back in a new session (QSettings in the test's temporary folder).
    void settingsAreRemembered()
    {
        if (!QFileInfo::exists(path(QStringLiteral("study/failures.csv")))) {
            QSKIP("needs the study of runRerunOpenAndList");
        }
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, path(QStringLiteral("settings")));
        QSettings().remove(QStringLiteral("cohort"));
        RunTargets targets;
        {
            CohortPanel p(&targets);
            p.setRememberSettings(true);
            p.setManifest(path(QStringLiteral("cohort.csv")));
            QVERIFY(p.openStudy(path(QStringLiteral("study"))));
        }
        CohortPanel q(&targets);
        q.setRememberSettings(true);
        QCOMPARE(q.manifest(), path(QStringLiteral("cohort.csv")));
        QCOMPARE(q.studyDir(), path(QStringLiteral("study")));
        QCOMPARE(q.currentPipelineId(), QStringLiteral("knee-mri"));
        QCOMPARE(q.model()->rowCount(), 4); // the manifest's cases, the finished ones marked
        QVERIFY(q.model()->at(0).message.contains(QStringLiteral("finished earlier")));
        QSettings().remove(QStringLiteral("cohort"));
    }

    void cancelInsideACase()
    {
        MainWindow w;
        prepare(w);
        CohortPanel* p = w.cohortPanel();
        p->setManifest(path(QStringLiteral("network.csv")));
        p->setStudyDir(path(QStringLiteral("cancelled-study")));
        QSignalSpy done(p, &CohortPanel::runFinished);
        QVERIFY(p->run());
        QVERIFY(p->running());
        QVERIFY(!p->runButton()->isEnabled());
        QVERIFY(p->cancelButton()->isEnabled());
        QTRY_VERIFY2_WITH_TIMEOUT(stateOf(p, 0) == State::Running && p->model()->at(0).message.startsWith(QStringLiteral("Segmenting")),
                                  qPrintable(p->model()->at(0).stateText() + QStringLiteral(": ") + p->model()->at(0).message +
                                             QStringLiteral(" | ") + p->statusLabel()->text()),
                                  60000);
        QTest::qWait(300);
        QCOMPARE(stateOf(p, 0), State::Running);
        QVERIFY(p->grab().save(outDir_ + QStringLiteral("/cohort_panel_running.png")));
        QVERIFY(p->model()->data(p->model()->index(0, CohortModel::StateColumn), Qt::DisplayRole).toString().startsWith(QStringLiteral("running")));
        QElapsedTimer t;
        t.start();
        QTest::mouseClick(p->cancelButton(), Qt::LeftButton);
        QVERIFY(done.wait(10000) || !done.isEmpty());
        qInfo("cancel took %lld ms", static_cast<long long>(t.elapsed()));
        QVERIFY2(t.elapsed() < 5000, qPrintable(QStringLiteral("cancel took %1 ms").arg(t.elapsed())));
        QVERIFY(p->lastSummary().cancelled);
        QCOMPARE(stateOf(p, 0), State::Cancelled);
        QCOMPARE(stateOf(p, 1), State::Cancelled);
        QVERIFY(p->model()->at(1).message.contains(QStringLiteral("Not started")));
        QVERIFY(!QFileInfo::exists(path(QStringLiteral("cancelled-study/n01/baseline/provenance.json"))));
        QVERIFY(p->runButton()->isEnabled());
        QVERIFY(!p->cancelButton()->isEnabled());
    }
};

QTEST_MAIN(CohortViewTest)
#include "CohortViewTest.moc"
