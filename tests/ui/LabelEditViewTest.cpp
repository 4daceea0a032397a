// Hand correction in a slice view (issue 20): with the brush on, a left drag paints the active label in the shown
// slice (Shift+left still moves the cursor), the eraser and the fill tool, undo/redo, the dirty state, saving with
// its .edits.json, and a new dataset forgetting the history. Plain widgets, offscreen; a picture of the painted view
// in test-output/ui/.
#include <strata/ImageIO.h>
#include <strata/JsonLimits.h>
#include <strata/phantom/KneeLabels.h>
#include <strata/ui/LabelEditSession.h>
#include <strata/ui/SliceView.h>
#include <strata/ui/ViewerState.h>

#include <QTemporaryDir>
#include <QtTest>

using namespace strata;
using namespace strata::ui;

namespace {

std::shared_ptr<Dataset> dataset()
{
    auto ds = std::make_shared<Dataset>();
    Image img({96, 96, 40}, PixelType::Float32);
    img.setSpacing({0.5, 0.5, 1.0});
    auto v = img.pixels<float>();
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i % 96) * 10); // a ramp along x
    Image lab({96, 96, 40}, PixelType::UInt8);
    lab.copyGeometryFrom(img);
    auto ids = lab.pixels<std::uint8_t>();
    for (std::size_t z = 0; z < 40; ++z)
        for (std::size_t y = 30; y < 60; ++y)
            for (std::size_t x = 30; x < 60; ++x) ids[x + 96 * (y + 96 * z)] = phantom::Femur;
    ds->name = "edit.nii.gz";
    ds->image = std::make_shared<const Image>(std::move(img));
    ds->labels = std::make_shared<const LabelMap>(std::move(lab), phantom::kneeLabelTable());
    ds->maxValue = 950;
    ds->p99 = 950;
    return ds;
}

std::size_t count(const Dataset& ds, int id)
{
    const auto c = ds.labels->voxelCounts();
    return c.contains(id) ? c.at(id) : 0;
}

} // namespace

class LabelEditViewTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void paintEraseFillUndoSave()
    {
        ViewerState state;
        LabelEditSession session(&state);
        auto ds = dataset();
        const auto original = ds->labels;
        SliceView view(ViewPlane::Axial, &state);
        view.setEditSession(&session);
        state.setDataset(ds);
        view.resize(500, 500);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        state.setCursor({48, 48, 20});

        // Not editing: a click moves the cursor and changes nothing.
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.widgetPosOfIndex({10, 10, 20}).toPoint());
        QCOMPARE(state.cursor()[0], 10);
        QVERIFY(!session.dirty());

        // Brush: a drag across the view paints femoral cartilage in slice 20 only.
        session.setTool(EditTool::Brush);
        session.setActiveLabel(phantom::FemoralCartilage);
        session.setBrushRadiusMm(2.0);
        const QPoint from = view.widgetPosOfIndex({10, 80, 20}).toPoint(), to = view.widgetPosOfIndex({85, 80, 20}).toPoint();
        QTest::mousePress(&view, Qt::LeftButton, {}, from);
        QTest::mouseMove(&view, to);
        QTest::mouseRelease(&view, Qt::LeftButton, {}, to);
        const std::size_t painted = count(*ds, phantom::FemoralCartilage);
        QVERIFY2(painted > 75 * 7, qPrintable(QString::number(painted))); // a band 75 voxels long, ~8 wide
        const auto ids = ds->labels->ids();
        for (std::size_t x = 12; x <= 83; ++x) QCOMPARE(int(ids[x + 96 * (80 + 96 * 20)]), int(phantom::FemoralCartilage));
        QCOMPARE(int(ids[40 + 96 * (80 + 96 * 19)]), 0); // not in the next slice
        QVERIFY(session.dirty());
        QVERIFY(original->voxelCounts().count(phantom::FemoralCartilage) == 0); // the loaded map is untouched
        QVERIFY(session.statusText().contains(QStringLiteral("femoral_cartilage")));
        QVERIFY(QDir().mkpath(QStringLiteral(STRATA_TEST_OUTPUT_DIR)));
        QVERIFY(view.grab().save(QStringLiteral(STRATA_TEST_OUTPUT_DIR "/label_edit_brush.png")));

        // Shift+click still moves the cursor.
        QTest::mouseClick(&view, Qt::LeftButton, Qt::ShiftModifier, view.widgetPosOfIndex({20, 20, 20}).toPoint());
        QCOMPARE(state.cursor()[0], 20);
        QCOMPARE(count(*ds, phantom::FemoralCartilage), painted);

        // Eraser limited to the femur and intensities 400..500 (x = 40..50): a hole of that width in the square.
        edit::PaintRule rule;
        rule.over = edit::PaintRule::Over::Label;
        rule.overLabel = phantom::Femur;
        rule.minIntensity = 400;
        rule.maxIntensity = 500;
        session.setRule(rule);
        session.setTool(EditTool::Eraser);
        session.setBrushRadiusMm(30.0);
        const std::size_t femur = count(*ds, phantom::Femur);
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.widgetPosOfIndex({45, 45, 20}).toPoint());
        QCOMPARE(count(*ds, phantom::Femur), femur - 11 * 30);
        QCOMPARE(count(*ds, phantom::FemoralCartilage), painted);

        // Fill (rule back to "everything"): the connected background of slice 20, the eraser's hole included.
        session.setRule({});
        session.setTool(EditTool::Fill);
        session.setActiveLabel(phantom::Patella);
        QTest::mouseClick(&view, Qt::LeftButton, {}, view.widgetPosOfIndex({2, 2, 20}).toPoint());
        const std::size_t patella = count(*ds, phantom::Patella);
        QCOMPARE(patella, std::size_t{96 * 96} - (30 * 30 - 11 * 30) - painted);

        // Undo three times: back to the loaded labels; redo once: the brush stroke again.
        QVERIFY(session.undo());
        QVERIFY(session.undo());
        QVERIFY(session.undo());
        QVERIFY(!session.undo());
        QVERIFY(std::equal(original->ids().begin(), original->ids().end(), ds->labels->ids().begin()));
        QVERIFY(!session.dirty());
        QVERIFY(session.redo());
        QCOMPARE(count(*ds, phantom::FemoralCartilage), painted);

        // Save: the labels and what was edited.
        QTemporaryDir tmp;
        const std::filesystem::path file = tmp.filePath(QStringLiteral("edited.nii.gz")).toStdString();
        session.save(file);
        QVERIFY(!session.dirty());
        QCOMPARE(readLabelMap(file).voxelCounts(), ds->labels->voxelCounts());
        const auto edits = readJsonFile(file.string() + ".edits.json");
        QCOMPARE(edits["edited"].get<bool>(), true);
        QCOMPARE(edits["voxels_changed"]["femoral_cartilage"].get<std::int64_t>(), static_cast<std::int64_t>(painted));
        QVERIFY(ds->labelsPath == file);

        // Draw the patella on slices 10 and 16 of the axial view; interpolation fills 11..15 (one undo step).
        session.setRule({});
        session.setTool(EditTool::Brush);
        session.setActiveLabel(phantom::Patella);
        session.setBrushRadiusMm(3.0);
        for (int z : {10, 16}) {
            state.setCursor({48, 48, z});
            QTest::mouseClick(&view, Qt::LeftButton, {}, view.widgetPosOfIndex({15, 15, z}).toPoint());
        }
        const auto patellaIn = [&](std::size_t z) {
            std::size_t n = 0;
            for (std::size_t i = 0; i < 96 * 96; ++i) n += ds->labels->ids()[i + 96 * 96 * z] == phantom::Patella;
            return n;
        };
        QCOMPARE(patellaIn(13), std::size_t{0});
        session.interpolateBetweenSlices(phantom::Patella);
        for (std::size_t z = 11; z <= 15; ++z) QVERIFY(patellaIn(z) > 100);
        QVERIFY(session.undo());
        QCOMPARE(patellaIn(13), std::size_t{0});

        // Another dataset: nothing to undo.
        state.setDataset(dataset());
        QVERIFY(!session.canUndo());
        QVERIFY(!session.dirty());
    }
};

QTEST_MAIN(LabelEditViewTest)
#include "LabelEditViewTest.moc"
