#pragma once

#include <QWidget>

#include <array>

class QGridLayout;

namespace strata::ui {

/// The 2x2 arrangement of the four views (axial, sagittal / coronal, 3D) with one view maximisable.
class ViewLayout : public QWidget {
    Q_OBJECT
public:
    /// Views in the order axial, coronal, sagittal, 3D.
    ViewLayout(std::array<QWidget*, 4> views, QWidget* parent = nullptr);

    /// -1: all four; 0..3: only that view.
    int maximised() const { return maximised_; }
    void setMaximised(int view);
    void toggleMaximised(int view);
    QWidget* view(int i) const { return views_[static_cast<std::size_t>(i)]; }

Q_SIGNALS:
    void layoutChanged(int maximised);

private:
    std::array<QWidget*, 4> views_;
    QGridLayout* grid_;
    int maximised_{-1};
};

} // namespace strata::ui
