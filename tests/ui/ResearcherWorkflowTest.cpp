// The workstation as researchers use it (issue 24): the Results panel follows the selected dataset; the status bar
// follows the mouse and reads the thickness out; plate rows restrict the thickness overlay; label colours and names;
// the pipeline that fits the data; the report keeps the camera and the histogram colours; labels loaded before a
// result stay. State checks of the main window under Xvfb (GL views); pictures land in build/test-output/ui/.
#include "ResearcherFixture.h"

#include <strata/report/ChartFactory.h>
#include <strata/ui/LabelAppearanceStore.h>
#include <strata/ui/LabelPalette.h>
#include <strata/ui/LabelPanel.h>
#include <strata/ui/PipelinePanel.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/View3D.h>
#include <strata/ui/ViewerState.h>

#include <QChart>
#include <QComboBox>
#include <QImage>
#include <QTemporaryDir>
#include <QLabel>
#include <QLineSeries>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeWidget>

using namespace strata;
using namespace strata::ui;
using namespace strata::ui::test;

class ResearcherWorkflowTest : public QObject, private ResearcherFixture {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { setUpFixture(); }

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

    // Item 9: with nothing chosen yet, a 3D scan gets the knee analysis preselected, not the first pipeline.
    void thePipelineFitsTheLoadedData()
    {
        MainWindow w;
        prepare(w);
        const QString first = w.pipelinePanel()->currentPipelineId();
        QVERIFY2(first != QStringLiteral("knee-mri"), qPrintable(first)); // else this test shows nothing
        // A folder of pictures (OCR pages, photos) is no DICOM series: it keeps the first pipeline.
        QTemporaryDir pictures;
        QImage page(32, 32, QImage::Format_RGB32);
        page.fill(Qt::white);
        QVERIFY(page.save(pictures.filePath(QStringLiteral("page1.png"))));
        w.pipelinePanel()->addExtraInput(pictures.path());
        QCOMPARE(w.pipelinePanel()->currentPipelineId(), first);
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

    // Item 3: a result arriving on labels loaded from a file keeps them (in the Labels panel's list) and says so.
    void aResultKeepsLoadedLabelsAndSaysSo()
    {
        MainWindow w;
        prepare(w);
        w.openPaths({path(QStringLiteral("knee_a.nii.gz"))});
        waitIdle(w, 1);
        w.openSegmentation(path(QStringLiteral("knee_b_labels.nii.gz"))); // another knee's labels, same grid size
        QTRY_VERIFY_WITH_TIMEOUT(w.datasets()[0]->labels && !w.busy(), 60000);
        const auto loaded = w.datasets()[0]->labels;
        w.openResult(resultA_);
        QTRY_VERIFY_WITH_TIMEOUT(w.datasets()[0]->result && !w.busy(), 60000);
        const QString message = w.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("\"loaded: knee_b_labels.nii.gz\" stays in the Labels panel's list")),
                 qPrintable(message));
        QCOMPARE(w.datasets()[0]->labelMaps.size(), 2);
        QCOMPARE(w.datasets()[0]->labelMaps.entries()[0].labels, loaded);
    }

};

QTEST_MAIN(ResearcherWorkflowTest)
#include "ResearcherWorkflowTest.moc"
