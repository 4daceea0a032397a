// Hand correction in the main window (issue 20): B picks the brush, a drag paints the active label, the title
// gets its "*", Ctrl+Z / Ctrl+Shift+Z, saving writes the labels and .edits.json, and "Measure edited
// segmentation" runs the knee pipeline on them without the network; its provenance says they were edited.
// Under Xvfb (GL views); a picture in test-output/ui/.
#include "RunWait.h"

#include <strata/ImageIO.h>
#include <strata/JsonLimits.h>
#include <strata/phantom/KneeLabels.h>
#include <strata/phantom/KneePhantom.h>
#include <strata/ui/LabelEditSession.h>
#include <strata/ui/MainWindow.h>
#include <strata/ui/PipelinePanel.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/View3D.h>
#include <strata/ui/RunQueue.h>
#include <strata/ui/ViewerState.h>
#include <strata/ui/VtkOpenGLWidget.h>

#include <QAbstractButton>
#include <QAction>
#include <QMessageBox>
#include <QTimer>
#include <QApplication>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
using namespace strata::ui;

class LabelEditWindowTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void editSaveAndMeasure()
    {
        QTemporaryDir tmp;
        phantom::KneePhantomParams params;
        params.seed = 5;
        params.size = {128, 128, 80};
        params.spacing = {0.8, 0.8, 1.4};
        const std::filesystem::path dir = std::filesystem::path(tmp.path().toStdString()) / "knee";
        phantom::writeKneePhantom(phantom::generateKneePhantom(params), dir);

        MainWindow w;
        w.setInteractive(false);
        w.setAutoSurfaces(false);
        w.resize(1400, 900);
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w)); // shortcuts need the active window
        w.pipelinePanel()->setResultsRoot(tmp.path() + QStringLiteral("/results"));
        w.openPaths({QString::fromStdString((dir / "image.nii.gz").string())});
        QTRY_VERIFY_WITH_TIMEOUT(!w.datasets().empty() && !w.busy(), 60000);
        w.openSegmentation(QString::fromStdString((dir / "labels.nii.gz").string()));
        QTRY_VERIFY_WITH_TIMEOUT(w.state()->dataset()->labels != nullptr && !w.busy(), 60000);
        const auto ds = w.state()->dataset();
        const auto before = ds->labels->voxelCounts();

        // B: the brush; paint femoral cartilage across the middle of the axial view.
        SliceView* axial = w.sliceView(ViewPlane::Axial);
        axial->setFocus();
        QTest::keyClick(axial, Qt::Key_B);
        QCOMPARE(w.editSession()->tool(), EditTool::Brush);
        w.editSession()->setActiveLabel(phantom::FemoralCartilage);
        const QRectF r = axial->imageRect();
        QTest::mousePress(axial, Qt::LeftButton, {}, QPoint(int(r.left() + 0.2 * r.width()), int(r.center().y())));
        QTest::mouseMove(axial, QPoint(int(r.left() + 0.8 * r.width()), int(r.center().y())));
        QTest::mouseRelease(axial, Qt::LeftButton, {}, QPoint(int(r.left() + 0.8 * r.width()), int(r.center().y())));
        const auto after = ds->labels->voxelCounts();
        QVERIFY(after.at(phantom::FemoralCartilage) > before.at(phantom::FemoralCartilage) + 50);
        QVERIFY(w.windowTitle().contains(QLatin1Char('*')));
        QVERIFY(w.saveScreenshot(QStringLiteral(STRATA_TEST_OUTPUT_DIR "/label_edit_window.png")));

        // Ctrl+Z and Ctrl+Shift+Z through the Edit menu's actions.
        auto* undo = w.findChild<QAction*>(QStringLiteral("actionUndoEdit"));
        auto* redo = w.findChild<QAction*>(QStringLiteral("actionRedoEdit"));
        QVERIFY(undo && redo && undo->isEnabled());
        undo->trigger();
        QCOMPARE(ds->labels->voxelCounts(), before);
        QVERIFY(!w.windowTitle().contains(QLatin1Char('*')));
        redo->trigger();
        QCOMPARE(ds->labels->voxelCounts(), after);

        // With automatic surfaces on, an edit rebuilds the 3D surfaces off the GUI thread shortly after.
        w.setAutoSurfaces(true);
        QCOMPARE(w.view3D()->surfaceCount(), 0);
        undo->trigger();
        redo->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(w.view3D()->surfaceCount() > 0 && !w.busy(), 120000);
        // A further edit replaces only the touched labels' surfaces: the others stay, none goes missing.
        const int surfaces = w.view3D()->surfaceCount();
        QTest::qWait(200);
        undo->trigger();
        redo->trigger();
        QTest::qWait(2000); // the rebuild starts 1.5 s after the last edit
        QTRY_VERIFY_WITH_TIMEOUT(!w.busy(), 120000);
        QCOMPARE(w.view3D()->surfaceCount(), surfaces);
        w.setAutoSurfaces(false);

        // Esc leaves the brush.
        QTest::keyClick(axial, Qt::Key_Escape);
        QCOMPARE(w.editSession()->tool(), EditTool::None);

        // Save and measure: the knee pipeline on the edited labels, no network; provenance records the edits.
        const QString saved = tmp.path() + QStringLiteral("/edited.nii.gz");
        QVERIFY2(w.saveSegmentation(saved), qPrintable(w.lastError()));
        QVERIFY(QFileInfo::exists(saved + QStringLiteral(".edits.json")));
        QVERIFY(!w.windowTitle().contains(QLatin1Char('*')));
        const int id = w.measureEditedSegmentation();
        QVERIFY(id >= 0);
        QCOMPARE(test::waitForRun(*w.runQueue(), id, 180000), RunJob::State::Succeeded);
        const std::filesystem::path bundle = w.runQueue()->job(id)->bundleDir.toStdString();
        const auto provenance = readJsonFile(bundle / "provenance.json");
        QCOMPARE(provenance["notes"]["labels"]["file"].get<std::string>(), std::string("edited.nii.gz"));
        QVERIFY(provenance["notes"]["labels"]["edits"]["voxels_changed"]["femoral_cartilage"].get<std::int64_t>() > 50);
        const auto metrics = readJsonFile(bundle / "metrics.json");
        const double voxel = readImage(dir / "image.nii.gz").voxelVolume();
        QVERIFY(std::abs(metrics["volumes_mm3"]["femoral_cartilage"].get<double>() -
                         static_cast<double>(after.at(phantom::FemoralCartilage)) * voxel) < 1e-3);

        // Closing with unsaved edits asks: Cancel keeps the window and the edits, Discard closes.
        QTRY_VERIFY_WITH_TIMEOUT(!w.busy(), 60000); // the result of the run is opened onto the dataset first
        w.setInteractive(true);
        w.editSession()->setTool(EditTool::Brush);
        QTest::mouseClick(axial, Qt::LeftButton, {}, QPoint(int(r.center().x()), int(r.top() + 0.3 * r.height())));
        QVERIFY(w.editSession()->dirty());
        const auto answer = [](QMessageBox::StandardButton button) {
            QTimer::singleShot(300, [button] {
                for (QWidget* top : QApplication::topLevelWidgets()) {
                    if (auto* box = qobject_cast<QMessageBox*>(top); box && box->isVisible()) box->button(button)->click();
                }
            });
        };
        answer(QMessageBox::Cancel);
        QVERIFY(!w.close());
        QVERIFY(w.isVisible());
        QVERIFY(w.editSession()->dirty());
        answer(QMessageBox::Discard);
        QVERIFY(w.close());
    }
};

int main(int argc, char** argv)
{
    VtkOpenGLWidget::setDefaultSurfaceFormat();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("StrataUiTest"));
    QStandardPaths::setTestModeEnabled(true);
    LabelEditWindowTest test;
    return QTest::qExec(&test, argc, argv);
}
#include "LabelEditWindowTest.moc"
