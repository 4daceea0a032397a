// Several label maps per image (issue 24, item 3): a loaded ground truth stays when a result arrives, the Labels
// panel switches between them, editing makes an edited copy, and Analysis > Compare label maps shows Dice, volumes
// and surface distances per label (numbers checked against a truth made from the labels with known changes) and
// writes them as CSV. State checks of the main window under Xvfb; pictures in build/test-output/ui/.
#include "ResearcherFixture.h"

#include <strata/phantom/KneeLabels.h>
#include <strata/ui/CompareLabelMapsDialog.h>
#include <strata/ui/LabelEditSession.h>
#include <strata/ui/LabelPanel.h>
#include <strata/ui/ViewerState.h>

#include <QComboBox>
#include <QFile>
#include <QStatusBar>
#include <QTreeWidget>

using namespace strata;
using namespace strata::ui;
using namespace strata::ui::test;

namespace {

QString cell(const ResultTableView* t, int row, int column) { return t->item(row, column)->text(); }

int rowOf(const ResultTableView* t, int labelId)
{
    for (int r = 0; r < t->rowCount(); ++r)
        if (cell(t, r, 1) == QString::number(labelId)) return r;
    return -1;
}

} // namespace

class LabelMapsTest : public QObject, private ResearcherFixture {
    Q_OBJECT

    static constexpr std::size_t kFemurVoxelsRemoved = 500;
    std::size_t femurVoxels_{0};
    double voxelMm3_{0};

private Q_SLOTS:
    void initTestCase()
    {
        setUpFixture();
        // The "ground truth": knee_a's result segmentation without the patella and without its first 500 femur voxels.
        LabelMap truth = readLabelMap((resultA_ + QStringLiteral("/segmentation.nii.gz")).toStdString());
        femurVoxels_ = truth.voxelCounts().at(phantom::Femur);
        voxelMm3_ = truth.image().voxelVolume();
        std::size_t removed = 0;
        for (auto& id : truth.ids()) {
            if (id == phantom::Patella) id = 0;
            if (id == phantom::Femur && removed < kFemurVoxelsRemoved) {
                id = 0;
                ++removed;
            }
        }
        writeLabelMap(truth, path(QStringLiteral("knee_a_truth.nii.gz")).toStdString());
    }

    void aResultJoinsTheLoadedLabelsAndTheyAreCompared()
    {
        MainWindow w;
        prepare(w);
        w.openPaths({path(QStringLiteral("knee_a.nii.gz"))});
        waitIdle(w, 1);
        w.openSegmentation(path(QStringLiteral("knee_a_truth.nii.gz")));
        QTRY_VERIFY_WITH_TIMEOUT(w.datasets()[0]->labels && !w.busy(), 60000);
        const auto ds = w.datasets()[0];
        QCOMPARE(ds->labelMaps.size(), 1);

        // A result (here the knee measured with its own labels) is added, not put in the truth's place.
        w.openResult(resultA_);
        QTRY_VERIFY_WITH_TIMEOUT(ds->result && !w.busy(), 60000);
        QCOMPARE(ds->labelMaps.size(), 2);
        QCOMPARE(ds->labelMaps.shownIndex(), 1);
        const auto& maps = ds->labelMaps.entries();
        QCOMPARE(QString::fromStdString(maps[0].name), QStringLiteral("loaded: knee_a_truth.nii.gz"));
        QVERIFY2(QString::fromStdString(maps[1].name).startsWith(QStringLiteral("result knee-mri ")), maps[1].name.c_str());
        QCOMPARE(ds->labels, maps[1].labels);
        const QString message = w.statusBar()->currentMessage();
        QVERIFY2(message.contains(QStringLiteral("\"loaded: knee_a_truth.nii.gz\" stays in the Labels panel's list")),
                 qPrintable(message));
        // The Labels panel lists both and switches; each dataset remembers its choice.
        QComboBox* combo = w.labelPanel()->labelMapCombo();
        QCOMPARE(combo->count(), 2);
        QCOMPARE(combo->currentIndex(), 1);
        const auto listed = [&w] { return w.labelPanel()->labelList()->topLevelItemCount(); };
        const int resultRows = listed();
        Q_EMIT combo->activated(0);
        QCOMPARE(ds->labels, maps[0].labels);
        QCOMPARE(QString::fromStdString(ds->labelsPath.filename().string()), QStringLiteral("knee_a_truth.nii.gz"));
        QCOMPARE(w.state()->dataset()->labels, maps[0].labels);
        QCOMPARE(combo->currentIndex(), 0);
        QVERIFY(listed() > 0 && listed() <= resultRows); // no patella in the truth (the table may still name it)
        w.saveScreenshot(outDir_ + QStringLiteral("/label_maps_truth_shown.png"));
        // Each dataset remembers the map it shows: another dataset and back, the truth is still shown.
        w.openPaths({path(QStringLiteral("knee_b.nii.gz"))});
        waitIdle(w, 2);
        QCOMPARE(w.currentDatasetIndex(), 1);
        QCOMPARE(combo->count(), 0); // knee_b has no label map
        w.setCurrentDataset(0);
        QCOMPARE(combo->currentIndex(), 0);
        QCOMPARE(w.state()->dataset()->labels, maps[0].labels);
        Q_EMIT combo->activated(1);
        QCOMPARE(ds->labels, maps[1].labels);

        // Compare: A the truth, B the result.
        auto* action = w.findChild<QAction*>(QStringLiteral("actionCompareLabelMaps"));
        QVERIFY(action && action->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
        action->trigger();
        auto* dialog = w.findChild<CompareLabelMapsDialog*>();
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->computing(), 60000);
        QCOMPARE(dialog->mapA()->currentIndex(), 0);
        QCOMPARE(dialog->mapB()->currentIndex(), 1);
        const ResultTableView* t = dialog->table();
        QVERIFY2(t->rowCount() >= 9, qPrintable(dialog->statusText()));
        const double n = static_cast<double>(femurVoxels_), removed = static_cast<double>(kFemurVoxelsRemoved);
        const int femur = rowOf(t, phantom::Femur);
        QVERIFY(femur >= 0);
        QCOMPARE(cell(t, femur, 2), QString::number(2 * (n - removed) / (2 * n - removed), 'f', 4));
        QCOMPARE(cell(t, femur, 3), QString::number((n - removed) * voxelMm3_, 'f', 1));
        QCOMPARE(cell(t, femur, 4), QString::number(n * voxelMm3_, 'f', 1));
        QCOMPARE(cell(t, femur, 5), QString::number(removed * voxelMm3_, 'f', 1));
        QCOMPARE(cell(t, femur, 6), QString::number(100 * removed / (n - removed), 'f', 1));
        // 500 voxels off the femur's first slices: its boundary moved there only (most of it coincides, HD95 may be 0).
        QVERIFY2(cell(t, femur, 7).toDouble() > 0 && !cell(t, femur, 8).isEmpty(), qPrintable(cell(t, femur, 7)));
        const int patella = rowOf(t, phantom::Patella); // in B only
        QVERIFY(patella >= 0);
        QCOMPARE(cell(t, patella, 2), QStringLiteral("0.0000"));
        QCOMPARE(cell(t, patella, 3), QStringLiteral("0.0"));
        QCOMPARE(cell(t, patella, 6), QString()); // no volume in A to relate to
        QCOMPARE(cell(t, patella, 7), QString());
        const int tibia = rowOf(t, phantom::Tibia); // untouched
        QCOMPARE(cell(t, tibia, 2), QStringLiteral("1.0000"));
        QCOMPARE(cell(t, tibia, 5), QStringLiteral("0.0"));
        QCOMPARE(cell(t, tibia, 8), QStringLiteral("0.00"));
        dialog->grab().save(outDir_ + QStringLiteral("/label_maps_compared.png"));

        // CSV: the table as shown.
        const QString csv = path(QStringLiteral("comparison.csv"));
        QVERIFY(dialog->exportCsv(csv));
        QFile f(csv);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(f.readAll());
        QCOMPARE(text, QString::fromStdString(t->table().toCsv()));
        QVERIFY(text.startsWith(QStringLiteral("Label,Id,Dice,Volume A (mm³)")));
        QVERIFY(!dialog->exportCsv(path(QStringLiteral("no/such/folder/x.csv"))));

        // A map that arrives while the dialog is open is listed there too.
        w.openSegmentation(path(QStringLiteral("knee_a_labels.nii.gz")));
        QTRY_VERIFY_WITH_TIMEOUT(ds->labelMaps.size() == 3 && !w.busy(), 60000);
        QCOMPARE(dialog->mapB()->count(), 3);
        QCOMPARE(dialog->mapB()->itemText(2), QStringLiteral("loaded: knee_a_labels.nii.gz"));

        // B the truth too: every label agrees fully.
        dialog->choose(0, 0);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->computing(), 60000);
        for (int r = 0; r < t->rowCount(); ++r) QCOMPARE(cell(t, r, 2), QStringLiteral("1.0000"));
        dialog->close();
    }

    void editingMakesAnEditedCopy()
    {
        MainWindow w;
        prepare(w);
        w.openResult(resultA_);
        waitIdle(w, 1);
        const auto ds = w.datasets()[0];
        QCOMPARE(ds->labelMaps.size(), 1);
        QVERIFY(!w.compareLabelMaps()); // one map: nothing to compare, and it says so
        QVERIFY(w.lastError().contains(QStringLiteral("fewer than two label maps")));
        const auto result = ds->labelMaps.entries()[0].labels;
        const auto before = result->voxelCounts();

        LabelEditSession* edit = w.editSession();
        const auto paint = [&] {
            edit->setTool(EditTool::Brush);
            edit->setActiveLabel(phantom::Patella);
            const auto c = w.state()->cursor();
            edit->beginStroke({double(c[0]), double(c[1]), double(c[2])}, 2);
            edit->endStroke();
        };
        paint();
        QCOMPARE(ds->labelMaps.size(), 2);
        QCOMPARE(ds->labelMaps.shownIndex(), 1);
        const auto& copy = ds->labelMaps.entries()[1];
        QVERIFY2(copy.name.starts_with("edited copy of result knee-mri "), copy.name.c_str());
        QVERIFY(copy.editable && ds->labels == copy.labels);
        QCOMPARE(result->voxelCounts(), before); // the result stays as it was
        QVERIFY(copy.labels->voxelCounts() != before);
        QCOMPARE(w.labelPanel()->labelMapCombo()->count(), 2);

        // Back to the result and to the copy: edits go on in the copy, no third map.
        QVERIFY(w.showLabelMap(0));
        QCOMPARE(ds->labels, result);
        QVERIFY(w.showLabelMap(1));
        const auto painted = copy.labels->voxelCounts().at(phantom::Patella);
        edit->setBrushRadiusMm(edit->brushRadiusMm() * 2);
        paint();
        QCOMPARE(ds->labelMaps.size(), 2);
        QVERIFY(copy.labels->voxelCounts().at(phantom::Patella) > painted);
        edit->setTool(EditTool::None);

        // The comparison of the result with its edited copy: only the patella differs.
        CompareLabelMapsDialog* dialog = w.compareLabelMaps();
        QVERIFY(dialog);
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->computing(), 60000);
        const int patella = rowOf(dialog->table(), phantom::Patella);
        QVERIFY(patella >= 0);
        QVERIFY(cell(dialog->table(), patella, 2).toDouble() < 1.0);
        QVERIFY(cell(dialog->table(), patella, 5).toDouble() > 0);
        w.saveScreenshot(outDir_ + QStringLiteral("/label_maps_edited_copy.png"));
    }
};

QTEST_MAIN(LabelMapsTest)
#include "LabelMapsTest.moc"
