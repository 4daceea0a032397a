// The workstation's tools (issue 24): ruler, angle and region statistics in the slice views; Help's user guide and
// shortcuts by menu; Edit > Preferences (threads, device, folders, report contents, label colour reset); colour bar
// ticks. State checks under Xvfb; pictures in build/test-output/ui/.
#include "ResearcherFixture.h"

#include <filesystem>

#include <strata/measure/SliceMeasurements.h>
#include <strata/phantom/KneeLabels.h>
#include <strata/ui/ColourMap.h>
#include <strata/ui/LabelAppearanceStore.h>
#include <strata/ui/LabelPanel.h>
#include <strata/ui/LabelEditSession.h>
#include <strata/ui/MeasureSession.h>
#include <strata/ui/PipelinePanel.h>
#include <strata/ui/Preferences.h>
#include <strata/ui/PreferencesDialog.h>
#include <strata/ui/RunJob.h>
#include <strata/ui/ShortcutHelp.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/UserGuide.h>
#include <strata/ui/ViewerState.h>

#include <QAction>
#include <QMenu>
#include <QFile>
#include <QFileInfo>
#include <QCheckBox>
#include <QComboBox>
#include <QTreeWidget>
#include <QDialog>
#include <QTextBrowser>

using namespace strata;
using namespace strata::ui;
using namespace strata::ui::test;

class ResearcherToolsTest : public QObject, private ResearcherFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setUpFixture(); }

    // Item 1: ruler (mm), angle and region statistics in a slice view, measured in patient space by strata::measure.
    void measurementToolsInTheSliceViews()
    {
        MainWindow w;
        prepare(w);
        w.openResult(resultB_); // 0.99 x 0.99 x 1.7 mm voxels
        waitIdle(w, 1);
        const Image& image = *w.datasets()[0]->image;
        MeasureSession* measure = w.measureSession();
        QVERIFY(measure && !measure->active());
        SliceView* view = w.sliceView(ViewPlane::Coronal);
        const auto c = w.state()->cursor();
        const Vec3 centre{double(c[0]), double(c[1]), double(c[2])};
        const auto axis = static_cast<std::size_t>(view->mapping().sliceAxis());
        auto offset = [&](double du, double dv) { // a point on the shown slice, du / dv voxels along the two other axes
            Vec3 p = centre;
            p[axis == 0 ? 1 : 0] += du;
            p[axis == 2 ? 1 : 2] += dv;
            return p;
        };

        // Ruler: D, then drag.
        auto* ruler = w.findChild<QAction*>(QStringLiteral("actionRuler"));
        QVERIFY(ruler && ruler->shortcut() == QKeySequence(Qt::Key_D));
        ruler->trigger();
        QCOMPARE(measure->tool(), MeasureTool::Ruler);
        drag(view, view->widgetPosOf(offset(-10, -6)), view->widgetPosOf(offset(12, 8)));
        QCOMPARE(measure->measurements().size(), std::size_t(1));
        const Measurement& line = measure->measurements()[0];
        const double mm = measure::distanceMm(image, line.points[0], line.points[1]);
        QVERIFY2(std::abs(mm - measure::distanceMm(image, offset(-10, -6), offset(12, 8))) < 0.2, qPrintable(line.text));
        QCOMPARE(line.text, QStringLiteral("%1 mm").arg(mm, 0, 'f', 1));
        QCOMPARE(w.state()->cursor(), c); // measuring does not move the cursor

        // Angle: drag the first arm, click the end of the second: a right angle in mm.
        w.findChild<QAction*>(QStringLiteral("actionAngle"))->trigger();
        QCOMPARE(measure->tool(), MeasureTool::Angle);
        drag(view, view->widgetPosOf(offset(15, 0)), view->widgetPosOf(offset(0, 0)));
        QCOMPARE(measure->measurements().size(), std::size_t(1)); // waiting for the second arm
        drag(view, view->widgetPosOf(offset(0, 9)), view->widgetPosOf(offset(0, 9)));
        QCOMPARE(measure->measurements().size(), std::size_t(2));
        const Measurement& angle = measure->measurements()[1];
        QCOMPARE(angle.points.size(), std::size_t(3));
        QVERIFY2(std::abs(measure::angleDegrees(image, angle.points[0], angle.points[1], angle.points[2]) - 90.0) < 2.0,
                 qPrintable(angle.text));
        QVERIFY(angle.text.endsWith(QStringLiteral("°")));

        // Ellipse statistics: Shift+Q, drag; the text is strata::measure's on the stored corners.
        w.findChild<QAction*>(QStringLiteral("actionEllipseRoi"))->trigger();
        drag(view, view->widgetPosOf(offset(-8, -5)), view->widgetPosOf(offset(8, 5)));
        QCOMPARE(measure->measurements().size(), std::size_t(3));
        const Measurement& roi = measure->measurements()[2];
        const auto stats = measure::roiStatistics(image, measure::RoiShape::Ellipse, roi.sliceAxis, roi.points[0], roi.points[1]);
        QVERIFY(stats.voxels > 100);
        QVERIFY2(roi.text.contains(QStringLiteral("mean %1").arg(stats.mean, 0, 'f', 1)), qPrintable(roi.text));
        QVERIFY(roi.text.contains(QStringLiteral("n %1").arg(stats.voxels)));
        w.findChild<QAction*>(QStringLiteral("actionRectangleRoi"))->trigger();
        drag(view, view->widgetPosOf(offset(20, -12)), view->widgetPosOf(offset(30, -4)));
        QCOMPARE(measure->measurements().size(), std::size_t(4));
        QVERIFY(measure->measurements()[3].text.contains(QStringLiteral("n 99"))); // 11 x 9 voxels
        view->update();
        QTest::qWait(50);
        w.saveScreenshot(outDir_ + QStringLiteral("/measurements.png"));

        // The brush takes the left button back; the list clears; another dataset starts empty.
        w.editSession()->setTool(EditTool::Brush);
        QVERIFY(!measure->active());
        w.editSession()->setTool(EditTool::None);
        w.findChild<QAction*>(QStringLiteral("actionClearMeasurements"))->trigger();
        QVERIFY(measure->measurements().empty());
    }

    // Item 7 (part): Help has a user guide; F1's shortcut list is grouped by menu (task), in the menu bar's order.
    void helpHasAGuideAndShortcutsByMenu()
    {
        MainWindow w;
        prepare(w);
        QVERIFY(UserGuide::markdown().startsWith(QStringLiteral("# Strata user guide")));
        auto* guide = w.findChild<QAction*>(QStringLiteral("actionUserGuide"));
        QVERIFY(guide);
        guide->trigger();
        auto* dialog = w.findChild<QDialog*>(QStringLiteral("userGuide"));
        QVERIFY(dialog && dialog->isVisible());
        auto* text = dialog->findChild<QTextBrowser*>();
        QVERIFY(text && text->toPlainText().contains(QStringLiteral("Measure by hand")));
        dialog->grab().save(outDir_ + QStringLiteral("/user_guide.png"));
        dialog->close();

        const QString html = ShortcutHelp::html(&w);
        const auto at = [&](const QString& s) { return html.indexOf(s); };
        const int file = at(QStringLiteral("<h4>File</h4>")), edit = at(QStringLiteral("<h4>Edit</h4>")),
                  measure = at(QStringLiteral("<h4>Measure</h4>")), help = at(QStringLiteral("<h4>Help</h4>"));
        QVERIFY2(file >= 0 && file < edit && edit < measure && measure < help, qPrintable(html));
        const int ruler = at(QStringLiteral(">Ruler<"));
        QVERIFY2(ruler > measure && ruler < at(QStringLiteral("<h4>View</h4>")), qPrintable(html));
        QVERIFY(at(QStringLiteral(">Brush<")) > edit && at(QStringLiteral(">Brush<")) < measure);
    }

    // Item 7 (part): Edit > Preferences: analysis threads reach the run request, slice interpolation the views,
    // the results folder the Analysis panel; kept in QSettings.
    void preferencesApply()
    {
        MainWindow w; // reads the preferences saved before (none) when it starts
        prepare(w);
        Preferences p;
        p.threads = 3;
        p.smoothSlices = true;
        p.dataFolder = path(QStringLiteral("data"));
        p.resultsFolder = path(QStringLiteral("prefs-results"));
        p.save();
        const Preferences back = Preferences::load();
        QCOMPARE(back.threads, 3);
        QVERIFY(back.smoothSlices);
        QCOMPARE(back.resultsFolder, p.resultsFolder);
        PreferencesDialog dialog(back);
        QCOMPARE(dialog.preferences().threads, 3);
        QCOMPARE(dialog.preferences().dataFolder, p.dataFolder);
        dialog.grab().save(outDir_ + QStringLiteral("/preferences.png"));

        auto* action = w.findChild<QAction*>(QStringLiteral("actionPreferences"));
        QVERIFY(action && action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_Comma));
        QVERIFY(!w.state()->smoothSlices());
        w.applyPreferences(back);
        QVERIFY(w.state()->smoothSlices());
        QCOMPARE(w.pipelinePanel()->resultsRoot(), p.resultsFolder);
        w.openPaths({path(QStringLiteral("knee_a.nii.gz"))});
        waitIdle(w, 1);
        const auto job = w.pipelinePanel()->prepareRun();
        QVERIFY(job);
        QCOMPARE(job->request.threads, 3);
        QVERIFY(QString::fromStdString(job->request.outputDir.string()).startsWith(p.resultsFolder));
        Preferences{}.save();
    }

    // Item 7 (rest): the device of local runs and cohorts, what reports include, and a reset of the label names and
    // colours; kept in QSettings and applied.
    void preferencesForDeviceReportsAndLabelColours()
    {
        MainWindow w;
        prepare(w);
        w.openResult(resultA_);
        waitIdle(w, 1);
        const auto ds = w.datasets()[0];
        const LabelTable loaded = ds->labels->table();
        w.labelPanel()->setAppearance(phantom::Femur, QStringLiteral("thigh bone"), QColor(255, 0, 0));
        QCOMPARE(ds->labels->table().find(phantom::Femur)->name, std::string("thigh bone"));
        QCOMPARE(LabelAppearanceStore::apply(loaded).find(phantom::Femur)->name, std::string("thigh bone"));

        Preferences p;
        p.device = QStringLiteral("cpu");
        p.report3dView = false;
        p.reportThicknessMaps = false;
        p.save();
        const Preferences back = Preferences::load();
        QCOMPARE(back.device, QStringLiteral("cpu"));
        QVERIFY(!back.report3dView && back.reportSlices && !back.reportThicknessMaps);
        QVERIFY(!back.resetLabelAppearance); // an action, not kept
        PreferencesDialog dialog(back);
        QCOMPARE(dialog.preferences().device, QStringLiteral("cpu"));
        QVERIFY(!dialog.preferences().report3dView && !dialog.preferences().reportThicknessMaps);
        auto* reset = dialog.findChild<QCheckBox*>(QStringLiteral("resetLabelAppearance"));
        QVERIFY(reset && !reset->isChecked());
        reset->setChecked(true);
        dialog.grab().save(outDir_ + QStringLiteral("/preferences_device_report_labels.png"));
        w.applyPreferences(dialog.preferences());

        // Device: the Analysis and Cohort panels start local runs on it, and the run request carries it.
        auto* device = w.findChild<QComboBox*>(QStringLiteral("deviceCombo"));
        auto* cohortDevice = w.findChild<QComboBox*>(QStringLiteral("cohortDevice"));
        QVERIFY(device && cohortDevice);
        QCOMPARE(device->currentText(), QStringLiteral("cpu"));
        QCOMPARE(cohortDevice->currentText(), QStringLiteral("cpu"));
        const auto job = w.pipelinePanel()->prepareRun();
        QVERIFY(job);
        QCOMPARE(job->request.device, std::string("cpu"));
        Preferences cuda = back;
        cuda.device = QStringLiteral("cuda");
        w.applyPreferences(cuda);
        QCOMPARE(device->currentText(), QStringLiteral("cuda"));

        // Label colours: the femur has its own name and colour again, and nothing remembered brings "thigh bone" back.
        QCOMPARE(ds->labels->table().find(phantom::Femur)->name, loaded.find(phantom::Femur)->name);
        QVERIFY(ds->labels->table().find(phantom::Femur)->rgba == loaded.find(phantom::Femur)->rgba);
        QCOMPARE(LabelAppearanceStore::apply(loaded).find(phantom::Femur)->name, loaded.find(phantom::Femur)->name);
        QCOMPARE(w.labelPanel()->labelList()->topLevelItem(0)->text(0), QString::fromStdString(loaded.find(phantom::Femur)->name));

        // Reports: without the 3D view and the thickness maps, then (defaults) with them.
        const auto html = [&](const QString& name) {
            const QString file = path(name);
            if (!w.writeReport(QString(), file)) return QString();
            QFile f(file);
            return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
        };
        const QString trimmed = html(QStringLiteral("trimmed.html"));
        QVERIFY(trimmed.contains(QStringLiteral("Axial, segmentation overlay")));
        QVERIFY(!trimmed.contains(QStringLiteral("3D: cartilage coloured by thickness")));
        QVERIFY(!trimmed.contains(QStringLiteral("Thickness maps</h2>")));
        Preferences{}.save();
        const QString full = html(QStringLiteral("full.html"));
        QVERIFY(full.contains(QStringLiteral("3D: cartilage coloured by thickness")));
        QVERIFY(full.contains(QStringLiteral("Thickness maps</h2>")));
    }

    // File > Export result > DICOM SEG and SR: offered (and copying dicom/seg.dcm and dicom/sr.dcm) only for a result
    // that has them, as the knee analysis of a DICOM series writes. Stand-in files: the copy is what is checked here
    // (the objects themselves are tested in DicomSegSr).
    void dicomSegAndSrExportOnlyWhenTheResultHasThem()
    {
        const QString withDicom = path(QStringLiteral("knee_a_result_dicom"));
        std::filesystem::copy(resultA_.toStdString(), withDicom.toStdString(), std::filesystem::copy_options::recursive);
        QDir().mkpath(withDicom + QStringLiteral("/dicom"));
        for (const auto& [name, bytes] : {std::pair{"seg.dcm", QByteArray("segmentation object")}, std::pair{"sr.dcm", QByteArray("report")}}) {
            QFile f(withDicom + QStringLiteral("/dicom/") + QLatin1String(name));
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size());
        }

        MainWindow plain;
        prepare(plain);
        plain.openResult(resultA_); // a NIfTI input: no DICOM objects
        waitIdle(plain, 1);
        auto* action = plain.findChild<QAction*>(QStringLiteral("actionExportDicomSegSr"));
        QVERIFY(action);
        QVERIFY(!action->isEnabled());
        QVERIFY(!plain.exportDicomObjects(path(QStringLiteral("dicom_out_none"))));
        QVERIFY(plain.lastError().contains(QStringLiteral("no DICOM SEG or SR")));

        MainWindow w;
        prepare(w);
        w.openResult(withDicom);
        waitIdle(w, 1);
        action = w.findChild<QAction*>(QStringLiteral("actionExportDicomSegSr"));
        QVERIFY(action && action->isEnabled());
        for (QObject* o : action->associatedObjects()) {
            if (auto* menu = qobject_cast<QMenu*>(o)) {
                menu->popup(w.mapToGlobal(QPoint(40, 40)));
                QVERIFY(menu->grab().save(outDir_ + QStringLiteral("/export_menu_dicom.png")));
                menu->hide();
            }
        }
        const QString out = path(QStringLiteral("dicom_out"));
        QVERIFY(w.exportDicomObjects(out));
        for (const auto& [name, bytes] : {std::pair{"seg.dcm", QByteArray("segmentation object")}, std::pair{"sr.dcm", QByteArray("report")}}) {
            QFile f(out + QStringLiteral("/") + QLatin1String(name));
            QVERIFY2(f.open(QIODevice::ReadOnly), name);
            QCOMPARE(f.readAll(), bytes);
        }
        QVERIFY(w.exportDicomObjects(out)); // again: replaces them
        QVERIFY(!QFileInfo::exists(out + QStringLiteral("/seg.dcm.part")));
    }

    void colourBarTicksAreRound()
    {
        QCOMPARE(ColourMap::ticks(0.0, 4.0, 5), (std::vector<double>{0, 1, 2, 3, 4}));
        QCOMPARE(ColourMap::ticks(0.0, 3.5, 5), (std::vector<double>{0, 1, 2, 3}));
        QCOMPARE(ColourMap::ticks(0.0, 2.5, 5), (std::vector<double>{0, 0.5, 1.0, 1.5, 2.0, 2.5}));
        QCOMPARE(ColourMap::ticks(-3.0, 3.0, 6), (std::vector<double>{-3, -2, -1, 0, 1, 2, 3}));
        QCOMPARE(ColourMap::ticks(0.0, 12.0, 5), (std::vector<double>{0, 2.5, 5, 7.5, 10}));
        QVERIFY(ColourMap::ticks(1.0, 1.0).empty());
    }
};

QTEST_MAIN(ResearcherToolsTest)
#include "ResearcherToolsTest.moc"
