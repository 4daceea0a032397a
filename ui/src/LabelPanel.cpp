#include "strata/ui/LabelPanel.h"

#include "strata/ui/LabelAppearanceStore.h"
#include "strata/ui/LabelPalette.h"
#include "strata/ui/ViewerState.h"

#include <QCheckBox>
#include <QColorDialog>
#include <QComboBox>
#include <QMenu>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSlider>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace strata::ui {
namespace {

QIcon swatch(const QColor& c)
{
    QPixmap pm(14, 14);
    pm.fill(Qt::transparent);
    QPainter p(&pm);
    p.setPen(Qt::black);
    QColor solid = c;
    solid.setAlpha(255);
    p.setBrush(solid);
    p.drawRect(0, 0, 13, 13);
    return QIcon(pm);
}

bool sameAppearance(const LabelTable& a, const LabelTable& b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        const auto& x = a.labels()[i];
        const auto& y = b.labels()[i];
        if (x.id != y.id || x.name != y.name || x.rgba != y.rgba) return false;
    }
    return true;
}

/// Gives the dataset's label map a new table in place: the map is shared (result bundle, editor), and they all
/// show and export the names and colours people chose. Only the GUI thread touches tables (jobs take copies).
void setTable(const Dataset& ds, LabelTable table)
{
    std::const_pointer_cast<LabelMap>(ds.labels)->setTable(std::move(table));
}

} // namespace

LabelPanel::LabelPanel(ViewerState* state, QWidget* parent)
    : QWidget(parent), state_(state), maps_(new QComboBox(this)), show_(new QCheckBox(tr("Show overlay"), this)),
      opacity_(new QSlider(Qt::Horizontal, this)), opacityValue_(new QLabel(this)), list_(new QTreeWidget(this)),
      surfaces_(new QPushButton(tr("Build 3D surfaces"), this))
{
    maps_->setObjectName(QStringLiteral("labelMapCombo"));
    maps_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    maps_->setMinimumContentsLength(12);
    maps_->setToolTip(tr("The label map shown: run results, files loaded and edited copies of this image each stay in this "
                         "list (Analysis > Compare label maps compares two)"));
    show_->setChecked(true);
    show_->setToolTip(tr("Show or hide the label overlay (O)"));
    opacity_->setRange(0, 100);
    opacity_->setToolTip(tr("Overlay opacity"));
    list_->setColumnCount(3);
    list_->setHeaderLabels({tr("Label"), tr("Id"), tr("Volume (ml)")});
    list_->setRootIsDecorated(false);
    list_->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    list_->header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    list_->header()->setSectionResizeMode(2, QHeaderView::ResizeToContents);
    list_->header()->setStretchLastSection(false);
    list_->setEditTriggers(QAbstractItemView::NoEditTriggers); // double-click: see below
    list_->setContextMenuPolicy(Qt::CustomContextMenu);
    list_->setToolTip(tr("Double-click a name to rename the label, elsewhere on its row to change its colour"));

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    auto* mapRow = new QHBoxLayout;
    mapRow->addWidget(new QLabel(tr("Map"), this));
    mapRow->addWidget(maps_, 1);
    layout->addLayout(mapRow);
    layout->addWidget(show_);
    auto* op = new QHBoxLayout;
    op->addWidget(new QLabel(tr("Opacity"), this));
    op->addWidget(opacity_, 1);
    op->addWidget(opacityValue_);
    layout->addLayout(op);
    layout->addWidget(list_, 1);
    auto* buttons = new QHBoxLayout;
    auto* all = new QPushButton(tr("All"), this);
    auto* none = new QPushButton(tr("None"), this);
    buttons->addWidget(all);
    buttons->addWidget(none);
    buttons->addWidget(surfaces_, 1);
    layout->addLayout(buttons);

    connect(maps_, &QComboBox::activated, this, [this](int index) {
        if (!updating_) Q_EMIT labelMapChosen(index);
    });
    connect(show_, &QCheckBox::toggled, this, [this](bool on) {
        if (!updating_) {
            state_->setOverlayVisible(on);
        }
    });
    connect(opacity_, &QSlider::valueChanged, this, [this](int v) {
        opacityValue_->setText(QStringLiteral("%1%").arg(v));
        if (!updating_) {
            state_->setOverlayOpacity(v / 100.0);
        }
    });
    connect(list_, &QTreeWidget::itemChanged, this, [this](QTreeWidgetItem* item, int column) {
        if (updating_ || column != 0) {
            return;
        }
        const int id = item->data(0, Qt::UserRole).toInt();
        const QString name = item->text(0).trimmed();
        if (name != item->data(0, Qt::UserRole + 1).toString()) { // renamed in place
            const auto ds = state_->dataset();
            const auto info = ds && ds->labels ? ds->labels->table().find(id) : std::nullopt;
            const LabelPalette palette(ds && ds->labels ? ds->labels->table() : LabelTable{});
            if (name.isEmpty()) {
                rebuild();
            } else {
                setAppearance(id, name, info ? palette.colour(id) : LabelPalette::generatedColour(id));
            }
            return;
        }
        state_->setLabelVisible(id, item->checkState(0) == Qt::Checked);
    });
    connect(list_, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem* item, int column) {
        if (column == 0) {
            list_->editItem(item, 0);
        } else {
            chooseColour(item->data(0, Qt::UserRole).toInt());
        }
    });
    connect(list_, &QTreeWidget::customContextMenuRequested, this, &LabelPanel::showContextMenu);
    connect(all, &QPushButton::clicked, this, [this] { state_->setAllLabelsVisible(true); });
    connect(none, &QPushButton::clicked, this, [this] { state_->setAllLabelsVisible(false); });
    connect(surfaces_, &QPushButton::clicked, this, &LabelPanel::buildSurfacesRequested);
    connect(state_, &ViewerState::datasetChanged, this, &LabelPanel::rebuild);
    connect(state_, &ViewerState::labelsChanged, this, &LabelPanel::rebuild);
    connect(state_, &ViewerState::labelAppearanceChanged, this, &LabelPanel::rebuild);
    connect(state_, &ViewerState::overlayChanged, this, &LabelPanel::syncFromState);
    rebuild();
}

void LabelPanel::rebuild()
{
    updating_ = true;
    list_->clear();
    const auto ds = state_->dataset();
    const bool has = ds && ds->labels;
    setEnabled(has);
    rebuildMapList();
    if (has) {
        // Names and colours remembered for this table (changed here earlier, in this session or another).
        if (LabelTable remembered = LabelAppearanceStore::apply(ds->labels->table());
            !sameAppearance(remembered, ds->labels->table())) {
            setTable(*ds, std::move(remembered));
            updating_ = false;
            state_->notifyLabelAppearanceChanged(); // views recolour; rebuilds this list
            return;
        }
        const LabelMap& lm = *ds->labels;
        const LabelPalette palette(lm.table());
        const auto volumes = lm.volumesMm3();
        std::vector<int> ids;
        for (const auto& l : lm.table().labels()) {
            if (l.id > 0 && l.id < 256) {
                ids.push_back(l.id);
            }
        }
        for (const auto& [id, v] : volumes) {
            if (id > 0 && std::find(ids.begin(), ids.end(), id) == ids.end()) {
                ids.push_back(id);
            }
        }
        std::sort(ids.begin(), ids.end());
        for (int id : ids) {
            const auto info = lm.table().find(id);
            auto* item = new QTreeWidgetItem(list_);
            item->setText(0, info ? QString::fromStdString(info->name) : tr("label %1").arg(id));
            item->setText(1, QString::number(id));
            const auto it = volumes.find(id);
            item->setText(2, it != volumes.end() ? QString::number(it->second / 1000.0, 'f', 2) : QStringLiteral("0"));
            item->setIcon(0, swatch(palette.colour(id)));
            item->setData(0, Qt::UserRole, id);
            item->setData(0, Qt::UserRole + 1, item->text(0));
            item->setFlags(item->flags() | Qt::ItemIsUserCheckable | Qt::ItemIsEditable);
            item->setCheckState(0, state_->labelVisible(id) ? Qt::Checked : Qt::Unchecked);
        }
    }
    updating_ = false;
    syncFromState();
}

void LabelPanel::rebuildMapList()
{
    maps_->clear();
    const auto ds = state_->dataset();
    if (!ds) return;
    for (const auto& e : ds->labelMaps.entries()) {
        maps_->addItem(QString::fromStdString(e.name));
        maps_->setItemData(maps_->count() - 1,
                           e.path.empty() ? tr("Not saved (Edit > Save segmentation as...)") : QString::fromStdString(e.path.string()),
                           Qt::ToolTipRole);
    }
    maps_->setCurrentIndex(ds->labelMaps.shownIndex());
}

void LabelPanel::syncFromState()
{
    updating_ = true;
    show_->setChecked(state_->overlayVisible());
    opacity_->setValue(static_cast<int>(std::lround(state_->overlayOpacity() * 100)));
    opacityValue_->setText(QStringLiteral("%1%").arg(opacity_->value()));
    for (int i = 0; i < list_->topLevelItemCount(); ++i) {
        auto* item = list_->topLevelItem(i);
        const int id = item->data(0, Qt::UserRole).toInt();
        item->setCheckState(0, state_->labelVisible(id) ? Qt::Checked : Qt::Unchecked);
    }
    updating_ = false;
}

void LabelPanel::setAppearance(int id, const QString& name, const QColor& colour)
{
    const auto ds = state_->dataset();
    if (!ds || !ds->labels || name.trimmed().isEmpty() || !colour.isValid()) {
        return;
    }
    const std::array<std::uint8_t, 4> rgba{static_cast<std::uint8_t>(colour.red()), static_cast<std::uint8_t>(colour.green()),
                                           static_cast<std::uint8_t>(colour.blue()), 255};
    setTable(*ds, LabelAppearanceStore::change(ds->labels->table(), id, name.trimmed().toStdString(), rgba));
    state_->notifyLabelAppearanceChanged();
}

void LabelPanel::chooseColour(int id)
{
    const auto ds = state_->dataset();
    if (!ds || !ds->labels) {
        return;
    }
    const auto info = ds->labels->table().find(id);
    const QColor now = LabelPalette(ds->labels->table()).colour(id);
    const QString name = info ? QString::fromStdString(info->name) : tr("label %1").arg(id);
    const QColor chosen = QColorDialog::getColor(now, this, tr("Colour of %1").arg(name));
    if (chosen.isValid()) {
        setAppearance(id, name, chosen);
    }
}

void LabelPanel::showContextMenu(const QPoint& pos)
{
    QTreeWidgetItem* item = list_->itemAt(pos);
    if (!item) {
        return;
    }
    const int id = item->data(0, Qt::UserRole).toInt();
    QMenu menu(this);
    menu.addAction(tr("Rename..."), this, [this, item] { list_->editItem(item, 0); });
    menu.addAction(tr("Colour..."), this, [this, id] { chooseColour(id); });
    menu.exec(list_->viewport()->mapToGlobal(pos));
}

} // namespace strata::ui
