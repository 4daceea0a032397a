#include "strata/ui/ViewLayout.h"

#include <QGridLayout>

namespace strata::ui {

ViewLayout::ViewLayout(std::array<QWidget*, 4> views, QWidget* parent) : QWidget(parent), views_(views), grid_(new QGridLayout(this))
{
    grid_->setContentsMargins(0, 0, 0, 0);
    grid_->setSpacing(2);
    // ITK-SNAP's arrangement: axial | sagittal over coronal | 3D.
    grid_->addWidget(views_[0], 0, 0);
    grid_->addWidget(views_[2], 0, 1);
    grid_->addWidget(views_[1], 1, 0);
    grid_->addWidget(views_[3], 1, 1);
    for (int i = 0; i < 2; ++i) {
        grid_->setRowStretch(i, 1);
        grid_->setColumnStretch(i, 1);
    }
}

void ViewLayout::setMaximised(int view)
{
    if (view < -1 || view > 3) {
        view = -1;
    }
    maximised_ = view;
    for (int i = 0; i < 4; ++i) {
        views_[static_cast<std::size_t>(i)]->setVisible(view < 0 || view == i);
    }
    // Empty rows/columns must not keep their stretch, or the maximised view keeps a quarter of the space.
    static constexpr int kRow[4] = {0, 1, 0, 1}, kCol[4] = {0, 0, 1, 1};
    for (int i = 0; i < 2; ++i) {
        grid_->setRowStretch(i, view < 0 || kRow[view] == i ? 1 : 0);
        grid_->setColumnStretch(i, view < 0 || kCol[view] == i ? 1 : 0);
    }
    if (view >= 0) {
        views_[static_cast<std::size_t>(view)]->setFocus();
    }
    Q_EMIT layoutChanged(view);
}

void ViewLayout::toggleMaximised(int view)
{
    setMaximised(maximised_ == view ? -1 : view);
}

} // namespace strata::ui
