#pragma once

#include <QMenu>
#include <QStringList>

namespace strata::ui {

/// File > Recent files: the last kMaxFiles opened paths (newest first, numbered for the keyboard), "Clear list".
class RecentFilesMenu : public QMenu {
    Q_OBJECT
public:
    static constexpr int kMaxFiles = 10;

    explicit RecentFilesMenu(const QString& title, QWidget* parent = nullptr);

    void setFiles(const QStringList& files);
    const QStringList& files() const { return files_; }
    /// Moves `path` to the top (adding it when new).
    void add(const QString& path);

Q_SIGNALS:
    void openRequested(const QString& path);
    void changed();

private:
    void rebuild();

    QStringList files_;
};

} // namespace strata::ui
