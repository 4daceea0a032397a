#include "strata/ui/OptionalInputRows.h"

#include "strata/ui/ParameterForm.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSettings>
#include <QSignalBlocker>
#include <QToolButton>

#include <utility>

namespace strata::ui {

namespace {
/// Item data of a label-map combo's "From a file..." entry (opens the file dialog; never a path).
const QString kFromFile = QStringLiteral("\x01" "from-file");

/// "Segmentation" for a label-map input, else the name as words ("label_mapping" -> "Label mapping").
QString rowTitle(const pipeline::PortSpec& port)
{
    if (port.type == "labelmap") {
        return OptionalInputRows::tr("Segmentation");
    }
    QString t = QString::fromStdString(port.name);
    t.replace(QLatin1Char('_'), QLatin1Char(' '));
    if (!t.isEmpty()) {
        t[0] = t[0].toUpper();
    }
    return t;
}

/// The choices of one pipeline on one input.
QString choicesKeyOf(const QString& pipelineId, const QString& input) { return pipelineId + QLatin1Char('\n') + input; }

/// The settings entry with a pipeline's last choices: {"input": path, "values": {name: path}}.
QString settingsKey(const QString& pipelineId) { return QStringLiteral("pipelines/%1/optionalInputs").arg(pipelineId); }
} // namespace

OptionalInputRows::OptionalInputRows(QWidget* panel, QFormLayout* layout, QWidget* after, ParameterForm* form)
    : QObject(panel), panel_(panel), layout_(layout), after_(after), form_(form)
{
}

void OptionalInputRows::setPipeline(const pipeline::PipelineManifest* manifest, bool fromSettings)
{
    pipelineId_ = manifest ? QString::fromStdString(manifest->id) : QString();
    if (manifest && fromSettings) {
        seedFromSettings();
    }
    rebuild(manifest);
}

void OptionalInputRows::setInput(const QString& inputPath)
{
    input_ = inputPath;
    restore();
}

void OptionalInputRows::setLabelOverlays(std::vector<LabelOverlay> overlays)
{
    overlays_ = std::move(overlays);
    restore();
}

void OptionalInputRows::rebuild(const pipeline::PipelineManifest* m)
{
    restoring_ = true;
    int afterRow = -1;
    QFormLayout::ItemRole role{};
    layout_->getWidgetPosition(after_, &afterRow, &role);
    for (std::size_t i = 0; i < rows_.size(); ++i) {
        layout_->removeRow(afterRow + 1);
    }
    rows_.clear();
    int at = afterRow + 1;
    for (std::size_t i = 1; m && i < m->inputs.size(); ++i) { // the first input is the panel's Input row
        const auto& port = m->inputs[i];
        if (!port.optional) {
            continue;
        }
        Row row{port};
        const QString name = QString::fromStdString(port.name);
        const QString help = tr("Optional input \"%1\": %2").arg(name, QString::fromStdString(port.help));
        auto* label = new QLabel(rowTitle(port));
        label->setToolTip(help);
        QWidget* field = nullptr;
        if (port.type == "labelmap") {
            row.combo = new QComboBox;
            row.combo->setObjectName(QStringLiteral("optionalInput_") + name);
            row.combo->setToolTip(help);
            row.combo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
            row.combo->setMinimumContentsLength(12);
            connect(row.combo, &QComboBox::activated, this, [this, name, combo = row.combo](int index) {
                if (combo->itemData(index).toString() == kFromFile) {
                    chooseLabelFile(name);
                }
            });
            connect(row.combo, &QComboBox::currentIndexChanged, this, &OptionalInputRows::store);
            label->setBuddy(row.combo);
            field = row.combo;
        } else {
            field = addFileRow(row, help);
            label->setBuddy(row.edit);
        }
        layout_->insertRow(at++, label, field);
        rows_.push_back(row);
    }
    restoring_ = false;
    restore();
}

QWidget* OptionalInputRows::addFileRow(Row& row, const QString& help)
{
    const QString name = QString::fromStdString(row.port.name);
    auto* field = new QWidget;
    auto* h = new QHBoxLayout(field);
    h->setContentsMargins(0, 0, 0, 0);
    row.edit = new QLineEdit;
    row.edit->setObjectName(QStringLiteral("optionalInput_") + name);
    row.edit->setPlaceholderText(tr("not given (optional)"));
    row.edit->setClearButtonEnabled(true);
    row.edit->setToolTip(help);
    auto* browse = new QToolButton;
    browse->setObjectName(QStringLiteral("optionalInputBrowse_") + name);
    browse->setText(QStringLiteral("..."));
    browse->setToolTip(tr("Choose the file for \"%1\"").arg(name));
    connect(browse, &QToolButton::clicked, this, [this, edit = row.edit, title = rowTitle(row.port)] {
        const QString current = edit->text().trimmed();
        const QString f = QFileDialog::getOpenFileName(panel_, tr("%1 (optional input)").arg(title),
                                                       current.isEmpty() ? browseDir_ : QFileInfo(current).absolutePath());
        if (!f.isEmpty()) {
            edit->setText(QDir::toNativeSeparators(f));
        }
    });
    connect(row.edit, &QLineEdit::textChanged, this, &OptionalInputRows::store);
    if (name == QStringLiteral("label_mapping")) { // the knee's mapping file is read with label_map=file
        connect(row.edit, &QLineEdit::textChanged, this, [this](const QString& text) {
            nlohmann::json values = form_->values();
            if (!values.contains("label_map")) return;
            const std::string now = values["label_map"].get<std::string>();
            const bool given = !text.trimmed().isEmpty();
            if (given == (now == "file")) return;
            values["label_map"] = given ? "file" : "strata";
            form_->setValues(values);
        });
    }
    h->addWidget(row.edit, 1);
    h->addWidget(browse);
    return field;
}

void OptionalInputRows::fillLabelCombo(Row& row, const QString& selected)
{
    const QSignalBlocker block(row.combo);
    row.combo->clear();
    auto add = [&](const QString& text, const QString& data, const QString& tip) {
        row.combo->addItem(text, data);
        row.combo->setItemData(row.combo->count() - 1, tip, Qt::ToolTipRole);
    };
    add(tr("From the model"), QString(), tr("Not given: the pipeline segments the scan itself"));
    for (const auto& o : overlays_) {
        if (o.sameGridInputs.contains(input_) && row.combo->findData(o.path) < 0) {
            add(tr("%1 (shown on %2)").arg(QFileInfo(o.path).fileName(), o.name), o.path,
                tr("The label overlay loaded on %1, on this input's grid: %2").arg(o.name, o.path));
        }
    }
    QStringList files = labelFiles_;
    if (!selected.isEmpty() && selected != kFromFile && !files.contains(selected) && QFileInfo::exists(selected)) {
        files.prepend(selected); // remembered from an earlier session
    }
    for (const QString& f : files) {
        if (row.combo->findData(f) < 0) {
            add(QFileInfo(f).fileName(), f, f);
        }
    }
    add(tr("From a file..."), kFromFile, tr("Choose a label map on the input's grid (NIfTI, NRRD, MHA)"));
    const int i = selected.isEmpty() ? 0 : row.combo->findData(selected);
    row.combo->setCurrentIndex(i > 0 && i < row.combo->count() - 1 ? i : 0);
}

void OptionalInputRows::chooseLabelFile(const QString& name)
{
    const QString previous = choices_[choicesKey()].value(name).toString();
    const QString start = !labelFiles_.isEmpty() ? QFileInfo(labelFiles_.front()).absolutePath()
                                                 : QFileInfo(input_).absolutePath();
    const QString f = QFileDialog::getOpenFileName(
        panel_, tr("Segmentation of the scan"), start,
        tr("Label maps (*.nii *.nii.gz *.nrrd *.nhdr *.mha *.mhd);;All files (*)"));
    set(name, f.isEmpty() ? previous : f);
}

bool OptionalInputRows::set(const QString& name, const QString& path)
{
    Row* row = find(name);
    if (!row) {
        return false;
    }
    if (row->edit) {
        row->edit->setText(path);
        return true;
    }
    QString value = path;
    if (!value.isEmpty() && row->combo->findData(value) <= 0) { // a file, not a listed overlay
        value = QFileInfo(path).absoluteFilePath();
        labelFiles_.removeAll(value);
        labelFiles_.prepend(value);
        while (labelFiles_.size() > 8) {
            labelFiles_.removeLast();
        }
    }
    fillLabelCombo(*row, value);
    store();
    return true;
}

QString OptionalInputRows::value(const QString& name) const
{
    const Row* row = find(name);
    return row ? value(*row) : QString();
}

QString OptionalInputRows::value(const Row& row) const
{
    if (row.edit) {
        return QDir::fromNativeSeparators(row.edit->text().trimmed());
    }
    const QString v = row.combo->currentData().toString();
    return v == kFromFile ? QString() : v;
}

std::vector<OptionalInputRows::Given> OptionalInputRows::given() const
{
    std::vector<Given> out;
    for (const auto& row : rows_) {
        const QString v = value(row);
        if (!v.isEmpty()) {
            out.push_back({row.port.name, rowTitle(row.port), v});
        }
    }
    return out;
}

OptionalInputRows::Row* OptionalInputRows::find(const QString& name)
{
    return const_cast<Row*>(std::as_const(*this).find(name));
}

const OptionalInputRows::Row* OptionalInputRows::find(const QString& name) const
{
    for (const auto& row : rows_) {
        if (QString::fromStdString(row.port.name) == name) {
            return &row;
        }
    }
    return nullptr;
}

QString OptionalInputRows::choicesKey() const { return choicesKeyOf(pipelineId_, input_); }

void OptionalInputRows::store()
{
    if (restoring_ || rows_.empty()) {
        return;
    }
    QVariantMap& values = choices_[choicesKey()];
    for (const auto& row : rows_) {
        if (row.combo && row.combo->currentData().toString() == kFromFile) {
            continue; // the file dialog is about to answer
        }
        values[QString::fromStdString(row.port.name)] = value(row);
    }
}

void OptionalInputRows::restore()
{
    if (restoring_) {
        return;
    }
    restoring_ = true;
    const auto it = choices_.find(choicesKey());
    const QVariantMap values = it != choices_.end() ? it->second : QVariantMap{};
    for (auto& row : rows_) {
        const QString v = values.value(QString::fromStdString(row.port.name)).toString();
        if (row.edit) {
            row.edit->setText(v);
        } else {
            fillLabelCombo(row, v);
        }
    }
    restoring_ = false;
}

void OptionalInputRows::readSettings()
{
    seedFromSettings();
    restore();
}

void OptionalInputRows::seedFromSettings()
{
    const auto stored = nlohmann::json::parse(QSettings().value(settingsKey(pipelineId_)).toString().toStdString(), nullptr, false);
    if (!stored.is_object() || !stored.contains("input") || !stored["input"].is_string() || !stored.contains("values") ||
        !stored["values"].is_object()) {
        return;
    }
    const QString key = choicesKeyOf(pipelineId_, QString::fromStdString(stored["input"].get<std::string>()));
    if (choices_.count(key)) {
        return; // this session's choices win
    }
    QVariantMap values;
    for (const auto& [name, path] : stored["values"].items()) {
        if (path.is_string()) {
            values[QString::fromStdString(name)] = QString::fromStdString(path.get<std::string>());
        }
    }
    choices_[key] = values;
}

void OptionalInputRows::writeSettings(QSettings& settings) const
{
    nlohmann::json values = nlohmann::json::object();
    for (const auto& g : given()) {
        values[g.name] = g.path.toStdString();
    }
    settings.setValue(settingsKey(pipelineId_),
                      QString::fromStdString(nlohmann::json{{"input", input_.toStdString()}, {"values", values}}.dump()));
}

} // namespace strata::ui
