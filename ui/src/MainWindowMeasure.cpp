// MainWindow: the Measure menu (issue 24): ruler, angle and region statistics in the slice views. What is measured is
// computed by strata::measure (core), drawn by SliceView, kept by MeasureSession.
#include "strata/ui/MainWindow.h"

#include "strata/ui/LabelEditSession.h"
#include "strata/ui/MeasureSession.h"
#include "strata/ui/SliceView.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QClipboard>
#include <QMenu>
#include <QMenuBar>
#include <QStatusBar>

namespace strata::ui {

void MainWindow::createMeasureActions()
{
    measure_ = new MeasureSession(state_, this);
    for (SliceView* v : slices_) v->setMeasureSession(measure_);
    QMenu* menu = new QMenu(tr("&Measure"), this);
    menu->setObjectName(QStringLiteral("measureMenu"));
    // After Edit (File, Edit, ...).
    const auto menus = menuBar()->actions();
    menuBar()->insertMenu(menus.size() > 2 ? menus.at(2) : nullptr, menu);
    auto* group = new QActionGroup(this);
    group->setExclusionPolicy(QActionGroup::ExclusionPolicy::ExclusiveOptional);
    const struct {
        MeasureTool tool;
        QString text;
        QKeySequence key;
        const char* name;
        QString tip;
    } tools[] = {
        {MeasureTool::Ruler, tr("&Ruler"), QKeySequence(Qt::Key_D), "actionRuler", tr("Drag to measure a distance (mm)")},
        {MeasureTool::Angle, tr("&Angle"), QKeySequence(Qt::SHIFT | Qt::Key_D), "actionAngle",
         tr("Drag the first arm, then click the end of the second (degrees)")},
        {MeasureTool::Rectangle, tr("Re&ctangle statistics"), QKeySequence(Qt::Key_Q), "actionRectangleRoi",
         tr("Drag a rectangle: mean, SD, min, max, voxels, area and volume inside")},
        {MeasureTool::Ellipse, tr("&Ellipse statistics"), QKeySequence(Qt::SHIFT | Qt::Key_Q), "actionEllipseRoi",
         tr("Drag an ellipse: mean, SD, min, max, voxels, area and volume inside")},
    };
    for (const auto& t : tools) {
        QAction* a = menu->addAction(t.text);
        a->setObjectName(QLatin1String(t.name));
        a->setShortcut(t.key);
        a->setCheckable(true);
        a->setStatusTip(t.tip);
        group->addAction(a);
        const MeasureTool tool = t.tool;
        connect(a, &QAction::toggled, this, [this, tool](bool on) {
            if (on) {
                if (edit_) edit_->setTool(EditTool::None); // the left button measures now
                measure_->setTool(tool);
            } else if (measure_->tool() == tool) {
                measure_->setTool(MeasureTool::None);
            }
        });
    }
    connect(measure_, &MeasureSession::toolChanged, this, [this, group] {
        if (!measure_->active() && group->checkedAction()) group->checkedAction()->setChecked(false);
    });
    if (edit_) {
        connect(edit_, &LabelEditSession::toolChanged, this, [this] {
            if (edit_->editing()) measure_->setTool(MeasureTool::None); // painting takes the left button back
        });
    }
    menu->addSeparator();
    QAction* copy = menu->addAction(tr("C&opy measurements"), this, [this] {
        QStringList lines;
        for (const auto& m : measure_->measurements()) lines << m.text;
        QApplication::clipboard()->setText(lines.join(QLatin1Char('\n')));
    });
    copy->setObjectName(QStringLiteral("actionCopyMeasurements"));
    QAction* clear = menu->addAction(tr("C&lear measurements"), measure_, &MeasureSession::clear);
    clear->setObjectName(QStringLiteral("actionClearMeasurements"));
    connect(measure_, &MeasureSession::measured, this, [this](const QString& text) {
        statusBar()->showMessage(tr("Measured: %1").arg(text), 15000);
    });
}

} // namespace strata::ui
