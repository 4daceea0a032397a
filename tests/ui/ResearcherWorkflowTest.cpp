// The workstation as researchers use it (issue 24): the Results panel follows the selected dataset; the status bar
// follows the mouse and reads the thickness out; colour bars have ticks. Two tiny knee
// phantoms measured with their given labels (no network, seconds) are opened as results; the checks are state checks
// of the main window. Runs under Xvfb (GL views); pictures land in build/test-output/ui/.
#include <strata/core/ImageIO.h>
#include <strata/core/StandardPipelines.h>
#include <strata/core/phantom/KneePhantom.h>
#include <strata/core/pipeline/LocalExecutor.h>
#include <strata/report/ChartFactory.h>
#include <strata/ui/ColourMap.h>
#include <strata/ui/LabelAppearanceStore.h>
#include <strata/ui/LabelPalette.h>
#include <strata/ui/LabelPanel.h>
#include <strata/core/measure/SliceMeasurements.h>
#include <strata/ui/LabelEditSession.h>
#include <strata/ui/MainWindow.h>
#include <strata/ui/MeasureSession.h>
#include <strata/ui/PipelinePanel.h>
#include <strata/ui/Preferences.h>
#include <strata/ui/PreferencesDialog.h>
#include <strata/ui/RunJob.h>
#include <strata/ui/ShortcutHelp.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/UserGuide.h>
#include <strata/ui/View3D.h>
#include <strata/ui/ViewerState.h>
#include <strata/ui/ResultTableView.h>
#include <strata/ui/ResultsPanel.h>

#include <QAction>
#include <QChart>
#include <QLineSeries>
#include <QComboBox>
#include <QDialog>
#include <QTextBrowser>
#include <QDir>
#include <QTabWidget>
#include <QLabel>
#include <QMouseEvent>
#include <QSettings>
#include <QStatusBar>
#include <QTreeWidget>
#include <QTemporaryDir>
#include <QtTest/QtTest>

using namespace strata;
using namespace strata::ui;

namespace {

const ResultTableView* tableOf(const ResultsPanel* panel, const std::string& id)
{
    for (const auto* t : panel->tables()) {
        if (t->table().id == id) {
            return t;
        }
    }
    return nullptr;
}

/// The first plate row's mean thickness as the panel shows it.
QString firstPlateText(const ResultsPanel* panel)
{
    const auto* t = tableOf(panel, "plates");
    return t && t->rowCount() > 0 && t->columnCount() > 1 ? t->item(0, 1)->text() : QString();
}

/// A mouse move without buttons over a widget, delivered directly (QTest::mouseMove can be dropped before the window
/// is active under Xvfb).
void hoverOver(QWidget* w, const QPointF& pos)
{
    QMouseEvent move(QEvent::MouseMove, pos, w->mapToGlobal(pos), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
    QCoreApplication::sendEvent(w, &move);
}

/// A left-button press, drag and release between two widget positions, delivered directly.
void drag(QWidget* w, const QPointF& from, const QPointF& to)
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

} // namespace

class ResearcherWorkflowTest : public QObject {
    Q_OBJECT

private:
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

    void prepare(MainWindow& w)
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

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        outDir_ = QStringLiteral(STRATA_TEST_OUTPUT_DIR);
        QDir().mkpath(outDir_);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, path(QStringLiteral("settings")));
        measureKnee(QStringLiteral("knee_a"), 71, 1.0, resultA_);
        measureKnee(QStringLiteral("knee_b"), 72, 1.1, resultB_); // bigger voxels: other numbers
    }

    // Item 2: select another dataset and the tables and the name in the Results panel are that dataset's.
    void resultsFollowTheSelectedDataset()
    {
        MainWindow w;
        prepare(w);
        w.openResult(resultA_);
        waitIdle(w, 1);
        w.openResult(resultB_);
        waitIdle(w, 2);
        ResultsPanel* panel = w.resultsPanel();
        QCOMPARE(w.currentDatasetIndex(), 1);
        QVERIFY(panel->hasResult());
        QVERIFY2(panel->heading()->text().contains(QStringLiteral("knee_b")), qPrintable(panel->heading()->text()));
        const QString b = firstPlateText(panel);
        QVERIFY(!b.isEmpty());
        // Item 9: the panel can be narrow (a long folder path wraps); its dock is resized and remembered by the window.
        QVERIFY2(panel->minimumSizeHint().width() <= 320, qPrintable(QString::number(panel->minimumSizeHint().width())));
        // What a table covers is said above it.
        panel->tabs()->setCurrentWidget(const_cast<ResultTableView*>(tableOf(panel, "subregions")));
        QVERIFY(panel->tableCaption()->isVisible());
        QVERIFY2(panel->tableCaption()->text().contains(QStringLiteral("all four plates")), qPrintable(panel->tableCaption()->text()));
        QVERIFY(panel->tableCaption()->text().contains(QStringLiteral("Patellar: P")));
        panel->tabs()->setCurrentIndex(0);

        w.setCurrentDataset(0);
        QVERIFY(panel->hasResult());
        QVERIFY2(panel->heading()->text().contains(QStringLiteral("knee_a")), qPrintable(panel->heading()->text()));
        QVERIFY(panel->heading()->text().contains(QStringLiteral("knee_a_result")));
        const QString a = firstPlateText(panel);
        QVERIFY2(a != b, qPrintable(a + QStringLiteral(" vs ") + b));
        QCOMPARE(QString::fromStdString(tableOf(panel, "plates")->table().rows[0][1].text), a);
        w.saveScreenshot(outDir_ + QStringLiteral("/results_follow_dataset.png"));

        w.setCurrentDataset(1);
        QCOMPARE(firstPlateText(panel), b);

        // A dataset without a result: the panel says so, under its name.
        w.openPaths({path(QStringLiteral("knee_a_labels.nii.gz"))});
        waitIdle(w, 3);
        w.setCurrentDataset(2);
        QVERIFY(!panel->hasResult());
        QVERIFY(panel->tables().empty());
        QVERIFY2(panel->heading()->text().contains(QStringLiteral("No result for knee_a_labels")),
                 qPrintable(panel->heading()->text()));
    }

    // Item 4: with the thickness map on, hovering cartilage shows its thickness in mm; the status bar follows the
    // mouse (no click) and goes back to the cursor when the mouse leaves the view.
    void hoverReadsTheThicknessOut()
    {
        MainWindow w;
        prepare(w);
        w.openResult(resultA_);
        waitIdle(w, 1);
        const auto ds = w.datasets()[0];
        QVERIFY(ds->thickness);
        // The thickest voxel of the map.
        const Image& t = *ds->thickness;
        const auto px = t.pixels<float>();
        const auto at = static_cast<std::size_t>(std::max_element(px.begin(), px.end()) - px.begin());
        const std::array<int, 3> voxel{static_cast<int>(at % t.size()[0]), static_cast<int>(at / t.size()[0] % t.size()[1]),
                                       static_cast<int>(at / (t.size()[0] * t.size()[1]))};
        const QString expected = QStringLiteral("Thickness %1 mm").arg(px[at], 0, 'f', 2);
        w.state()->setThicknessVisible(true);
        SliceView* view = w.sliceView(ViewPlane::Sagittal);
        auto* status = w.findChild<QLabel*>(QStringLiteral("cursorStatus"));
        QVERIFY(status);
        // The cursor on the same sagittal slice, elsewhere in it.
        std::array<int, 3> cursor{0, 0, 0};
        const auto axis = static_cast<std::size_t>(view->mapping().sliceAxis());
        cursor[axis] = voxel[axis];
        w.state()->setCursor(cursor);
        QVERIFY(!status->text().contains(QStringLiteral("Thickness")));
        hoverOver(view, view->widgetPosOfIndex(voxel));
        QTRY_VERIFY2(status->text().contains(expected), qPrintable(status->text() + QStringLiteral(" / ") + expected));
        QVERIFY(status->text().contains(QStringLiteral("Voxel [%1, %2, %3]").arg(voxel[0]).arg(voxel[1]).arg(voxel[2])));
        QCOMPARE(w.state()->cursor(), cursor); // hovering does not move the cursor
        w.saveScreenshot(outDir_ + QStringLiteral("/thickness_hover.png"));
        // Leaving the view: the cursor's read-out again.
        QEvent leave(QEvent::Leave);
        QCoreApplication::sendEvent(view, &leave);
        QVERIFY(!w.state()->hover());
        QVERIFY(status->text().contains(QStringLiteral("Voxel [%1, %2, %3]").arg(cursor[0]).arg(cursor[1]).arg(cursor[2])));
    }

    // Item 5: clicking a plate row shows that plate alone, in the 2D thickness overlay too.
    void plateRowRestrictsTheThicknessOverlay()
    {
        MainWindow w;
        prepare(w);
        w.openResult(resultA_);
        waitIdle(w, 1);
        const auto ds = w.datasets()[0];
        w.state()->setThicknessVisible(true);
        // The sagittal slice through the thickest femoral cartilage (label 4).
        const Image& t = *ds->thickness;
        const auto px = t.pixels<float>();
        const auto ids = ds->labels->ids();
        std::size_t at = 0;
        for (std::size_t i = 0; i < px.size(); ++i) {
            if (ids[i] == 4 && px[i] > px[at] * (ids[at] == 4)) at = i;
        }
        QCOMPARE(int(ids[at]), 4);
        SliceView* view = w.sliceView(ViewPlane::Sagittal);
        std::array<int, 3> voxel{static_cast<int>(at % t.size()[0]), static_cast<int>(at / t.size()[0] % t.size()[1]),
                                 static_cast<int>(at / (t.size()[0] * t.size()[1]))};
        w.state()->setCursor(voxel);
        // Coloured (thickness) pixels of the slice per label.
        auto colouredPixels = [&](int label) {
            const QImage& img = view->sliceImage();
            int n = 0;
            for (int v = 0; v < img.height(); ++v) {
                for (int u = 0; u < img.width(); ++u) {
                    const Vec3 f = view->mapping().indexOf(u, v, view->slice());
                    const std::size_t i = static_cast<std::size_t>(std::lround(f[0])) +
                                          t.size()[0] * (static_cast<std::size_t>(std::lround(f[1])) +
                                                         t.size()[1] * static_cast<std::size_t>(std::lround(f[2])));
                    const QRgb c = img.pixel(u, v);
                    if (ids[i] == label && (qRed(c) != qGreen(c) || qGreen(c) != qBlue(c))) ++n;
                }
            }
            return n;
        };
        QVERIFY(colouredPixels(4) > 0);

        // Click the patellar cartilage row (label 7) of the plates table.
        auto* table = const_cast<ResultTableView*>(tableOf(w.resultsPanel(), "plates"));
        QVERIFY(table);
        int row = -1;
        for (int r = 0; r < table->rowCount(); ++r) {
            if (table->item(r, 0)->data(Qt::UserRole + 1).toInt() == 7) row = r;
        }
        QVERIFY(row >= 0);
        w.resultsPanel()->tabs()->setCurrentWidget(table);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualItemRect(table->item(row, 0)).center());
        QTRY_VERIFY(!w.state()->labelVisible(4) && w.state()->labelVisible(7));
        w.state()->setCursor(voxel);
        QCOMPARE(colouredPixels(4), 0);
        // The patella's own thickness is still drawn where the slice crosses it.
        w.saveScreenshot(outDir_ + QStringLiteral("/thickness_one_plate.png"));
        w.state()->soloLabel(0);
        QVERIFY(colouredPixels(4) > 0);
    }

    // Item 6: femur, tibia and patella have distinct colours after a run; names and colours can be changed in the
    // Labels panel and are remembered for the label table (the next result with it gets them).
    void labelColoursAndNamesAreEditableAndRemembered()
    {
        {
            MainWindow w;
            prepare(w);
            w.openResult(resultA_);
            waitIdle(w, 1);
            const auto ds = w.datasets()[0];
            const LabelPalette palette(ds->labels->table());
            for (int a = 1; a <= 3; ++a) {
                for (int b = a + 1; b <= 3; ++b) {
                    const QColor x = palette.colour(a), y = palette.colour(b);
                    const int d = std::abs(x.red() - y.red()) + std::abs(x.green() - y.green()) + std::abs(x.blue() - y.blue());
                    QVERIFY2(d >= 80, qPrintable(QStringLiteral("labels %1 and %2 look alike (%3)").arg(a).arg(b).arg(d)));
                }
            }
            LabelPanel* panel = w.labelPanel();
            panel->setAppearance(2, QStringLiteral("tibia (bone)"), QColor(20, 60, 200));
            QCOMPARE(QString::fromStdString(ds->labels->table().find(2)->name), QStringLiteral("tibia (bone)"));
            QVERIFY((ds->labels->table().find(2)->rgba == std::array<std::uint8_t, 4>{20, 60, 200, 255}));
            // Renamed in place in the list (what a double-click opens).
            QTreeWidget* list = panel->labelList();
            QTreeWidgetItem* femur = nullptr;
            for (int i = 0; i < list->topLevelItemCount(); ++i) {
                if (list->topLevelItem(i)->data(0, Qt::UserRole).toInt() == 1) femur = list->topLevelItem(i);
            }
            QVERIFY(femur);
            femur->setText(0, QStringLiteral("Femur"));
            QCOMPARE(QString::fromStdString(ds->labels->table().find(1)->name), QStringLiteral("Femur"));
            QVERIFY(w.state()->labelVisible(1)); // renaming does not hide it
            // The slice views draw the new colour.
            SliceView* view = w.sliceView(ViewPlane::Sagittal);
            const auto ids = ds->labels->ids();
            const auto& size = ds->labels->image().size();
            std::size_t at = 0;
            while (ids[at] != 2) ++at;
            const std::array<int, 3> voxel{static_cast<int>(at % size[0]), static_cast<int>(at / size[0] % size[1]),
                                           static_cast<int>(at / (size[0] * size[1]))};
            w.state()->setCursor(voxel);
            const auto uv = view->mapping().pixelOf({double(voxel[0]), double(voxel[1]), double(voxel[2])});
            const QRgb c = view->sliceImage().pixel(static_cast<int>(uv[0]), static_cast<int>(uv[1]));
            QVERIFY2(qBlue(c) > qRed(c) + 40, qPrintable(QColor(c).name()));
            w.saveScreenshot(outDir_ + QStringLiteral("/label_colours_edited.png"));
        }
        // A new window, another result with the same label table: the names and colours come back.
        MainWindow w;
        prepare(w);
        w.openResult(resultB_);
        waitIdle(w, 1);
        const auto& table = w.datasets()[0]->labels->table();
        QCOMPARE(QString::fromStdString(table.find(2)->name), QStringLiteral("tibia (bone)"));
        QCOMPARE(QString::fromStdString(table.find(1)->name), QStringLiteral("Femur"));
        QVERIFY((table.find(2)->rgba == std::array<std::uint8_t, 4>{20, 60, 200, 255}));
        QCOMPARE(w.labelPanel()->labelList()->topLevelItem(1)->text(0), QStringLiteral("tibia (bone)"));
        LabelAppearanceStore::forget(table);
    }

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

    // Item 9: with nothing chosen yet, a 3D scan gets the knee analysis preselected, not the first pipeline.
    void thePipelineFitsTheLoadedData()
    {
        MainWindow w;
        prepare(w);
        const QString first = w.pipelinePanel()->currentPipelineId();
        QVERIFY2(first != QStringLiteral("knee-mri"), qPrintable(first)); // else this test shows nothing
        w.openPaths({path(QStringLiteral("knee_a.nii.gz"))});
        waitIdle(w, 1);
        QCOMPARE(w.pipelinePanel()->currentPipelineId(), QStringLiteral("knee-mri"));
        // A pipeline chosen by hand stays when other data is opened.
        QVERIFY(w.pipelinePanel()->selectPipeline(first));
        auto* combo = w.pipelinePanel()->findChild<QComboBox*>(QStringLiteral("pipelineCombo"));
        QVERIFY(combo);
        Q_EMIT combo->activated(combo->currentIndex());
        w.openPaths({path(QStringLiteral("knee_b.nii.gz"))});
        waitIdle(w, 2);
        QCOMPARE(w.pipelinePanel()->currentPipelineId(), first);
    }

    // Item 9: the report's picture of the 3D view does not reset the camera the user set up.
    void reportKeepsTheUsersCamera()
    {
        MainWindow w;
        prepare(w);
        w.openResult(resultA_);
        waitIdle(w, 1);
        auto camera = w.view3D()->camera();
        camera[0] += 120.0; // somewhere else, looking at the same point
        camera[2] -= 60.0;
        camera[9] = 24.0;
        w.view3D()->setCamera(camera);
        const auto images = w.reportImages();
        QVERIFY(!images.view3d.isNull());
        const auto after = w.view3D()->camera();
        for (std::size_t i = 0; i < camera.size(); ++i) {
            QVERIFY2(std::abs(after[i] - camera[i]) < 1e-6, qPrintable(QStringLiteral("%1: %2 vs %3").arg(i).arg(after[i]).arg(camera[i])));
        }
    }

    // Item 9: the thickness histogram draws each plate in the same colour in the GUI (with the label table) and in
    // the report (without one: the colours travel with the histograms).
    void histogramColoursAreTheSameInTheGuiAndTheReport()
    {
        MainWindow w;
        prepare(w);
        w.openResult(resultA_);
        waitIdle(w, 1);
        const auto ds = w.datasets()[0];
        QVERIFY(!ds->report->histograms.empty());
        std::unique_ptr<QChart> gui(report::ChartFactory::thicknessHistogram(ds->report->histograms, ds->labels->table()));
        std::unique_ptr<QChart> pdf(report::ChartFactory::thicknessHistogram(ds->report->histograms, LabelTable{}));
        QCOMPARE(gui->series().size(), pdf->series().size());
        for (int i = 0; i < gui->series().size(); ++i) {
            const QColor a = static_cast<QLineSeries*>(gui->series()[i])->pen().color();
            const QColor b = static_cast<QLineSeries*>(pdf->series()[i])->pen().color();
            QCOMPARE(a.name(), b.name());
        }
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

    // Item 3 (part): a result that replaces a label map loaded from a file says so.
    void aResultReplacingLoadedLabelsSaysSo()
    {
        MainWindow w;
        prepare(w);
        w.openPaths({path(QStringLiteral("knee_a.nii.gz"))});
        waitIdle(w, 1);
        w.openSegmentation(path(QStringLiteral("knee_b_labels.nii.gz"))); // another knee's labels, same grid size
        QTRY_VERIFY_WITH_TIMEOUT(w.datasets()[0]->labels && !w.busy(), 60000);
        w.openResult(resultA_);
        QTRY_VERIFY_WITH_TIMEOUT(w.datasets()[0]->result && !w.busy(), 60000);
        const QString message = w.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("replaced the labels loaded from")) &&
                     message.contains(QStringLiteral("knee_b_labels.nii.gz")),
                 qPrintable(message));
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

QTEST_MAIN(ResearcherWorkflowTest)
#include "ResearcherWorkflowTest.moc"
