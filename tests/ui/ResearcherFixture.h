#pragma once
// Shared by the issue 24 ui tests (ResearcherWorkflowTest, ResearcherToolsTest): two small knee phantoms measured
// with their given labels (no network, seconds), a main window set up for tests, and direct mouse events.
#include <strata/ImageIO.h>
#include <strata/StandardPipelines.h>
#include <strata/phantom/KneePhantom.h>
#include <strata/pipeline/LocalExecutor.h>
#include <strata/ui/MainWindow.h>
#include <strata/ui/ResultTableView.h>
#include <strata/ui/ResultsPanel.h>

#include <QDir>
#include <QMouseEvent>
#include <QSettings>
#include <QTemporaryDir>
#include <QtTest/QtTest>

namespace strata::ui::test {


inline const ResultTableView* tableOf(const ResultsPanel* panel, const std::string& id)
{
    for (const auto* t : panel->tables()) {
        if (t->table().id == id) {
            return t;
        }
    }
    return nullptr;
}

/// The first plate row's mean thickness as the panel shows it.
inline QString firstPlateText(const ResultsPanel* panel)
{
    const auto* t = tableOf(panel, "plates");
    return t && t->rowCount() > 0 && t->columnCount() > 1 ? t->item(0, 1)->text() : QString();
}

/// A mouse move without buttons over a widget, delivered directly (QTest::mouseMove can be dropped before the window
/// is active under Xvfb).
inline void hoverOver(QWidget* w, const QPointF& pos)
{
    QMouseEvent move(QEvent::MouseMove, pos, w->mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w, &move);
}

/// A left-button press, drag and release between two widget positions, delivered directly.
inline void drag(QWidget* w, const QPointF& from, const QPointF& to)
{
    QMouseEvent press(QEvent::MouseButtonPress, from, w->mapToGlobal(from), Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w, &press);
    for (int i = 1; i <= 4; ++i) {
        const QPointF p = from + (to - from) * (i / 4.0);
        QMouseEvent move(QEvent::MouseMove, p, w->mapToGlobal(p), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(w, &move);
    }
    QMouseEvent release(QEvent::MouseButtonRelease, to, w->mapToGlobal(to), Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w, &release);
}


/// Two knee results (knee_a, knee_b: other voxel size, other numbers) in a temporary folder, QSettings there too.
class ResearcherFixture {
protected:
    QTemporaryDir tmp_;
    QString outDir_;
    QString resultA_, resultB_;

    QString path(const QString& rel) const { return tmp_.path() + QLatin1Char('/') + rel; }

    /// A small knee phantom measured with its own labels into `result`.
    void measureKnee(const QString& name, std::uint64_t seed, double scale, QString& result)
    {
        phantom::KneePhantomParams params;
        params.seed = seed;
        params.size = {112, 112, 72};
        params.spacing = {0.9 * scale, 0.9 * scale, 1.55 * scale};
        const auto c = phantom::generateKneePhantom(params);
        writeImage(c.image, path(name + QStringLiteral(".nii.gz")).toStdString());
        writeLabelMap(c.labels, path(name + QStringLiteral("_labels.nii.gz")).toStdString());
        pipeline::RunRequest r;
        r.pipeline = "knee-mri";
        r.inputs["image"] = path(name + QStringLiteral(".nii.gz")).toStdString();
        r.inputs["labels"] = path(name + QStringLiteral("_labels.nii.gz")).toStdString();
        r.parameters = {{"meshes", false}, {"thickness_subvoxel_mm", 0.0}};
        r.outputDir = path(name + QStringLiteral("_result")).toStdString();
        r.device = "cpu";
        pipeline::LocalExecutor exec(standardPipelines());
        pipeline::NullProgressSink sink;
        const auto out = exec.run(r, sink, {});
        QVERIFY2(out.status == pipeline::RunStatus::Succeeded, out.message.c_str());
        result = path(name + QStringLiteral("_result"));
    }

    static void prepare(MainWindow& w)
    {
        w.setInteractive(false);
        w.setAutoSurfaces(false);
        w.resize(1600, 1000);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
    }

    static void waitIdle(MainWindow& w, std::size_t datasets)
    {
        QTRY_VERIFY_WITH_TIMEOUT(w.datasets().size() >= datasets && !w.busy(), 120000);
    }

    /// Call from initTestCase.
    void setUpFixture()
    {
        QVERIFY(tmp_.isValid());
        outDir_ = QStringLiteral(STRATA_TEST_OUTPUT_DIR);
        QDir().mkpath(outDir_);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, path(QStringLiteral("settings")));
        measureKnee(QStringLiteral("knee_a"), 71, 1.0, resultA_);
        measureKnee(QStringLiteral("knee_b"), 72, 1.1, resultB_); // bigger voxels: other numbers
    }
};

} // namespace strata::ui::test
