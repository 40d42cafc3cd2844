#include "timeline_view.h"

#include "timeline_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace tai::ui {

namespace {
// Matches the kind column exactly (or anything) and the free text anywhere in the row.
class TimelineFilter : public QSortFilterProxyModel {
public:
    using QSortFilterProxyModel::QSortFilterProxyModel;
    QString kind;
    QString text;
    void refresh() { invalidateFilter(); }

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override {
        const auto* source = sourceModel();
        // The kind column may carry a mark (" · REFUSED"): match the kind itself.
        if (!kind.isEmpty() &&
            source->index(row, TimelineModel::Kind, parent).data(TimelineModel::KindRole).toString() !=
                kind) {
            return false;
        }
        if (text.isEmpty()) {
            return true;
        }
        for (int column = 0; column < TimelineModel::ColumnCount; ++column) {
            if (source->index(row, column, parent).data().toString().contains(text, Qt::CaseInsensitive)) {
                return true;
            }
        }
        return false;
    }
};
}  // namespace

TimelineView::TimelineView(QWidget* parent) : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    auto* filters = new QHBoxLayout;
    kind_ = new QComboBox(this);
    kind_->setAccessibleName(QStringLiteral("Timeline kind filter"));
    kind_->addItem(QStringLiteral("All kinds"), QString());
    kind_->addItem(QStringLiteral("Breaker transitions"), QStringLiteral("breaker_transition"));
    kind_->addItem(QStringLiteral("Operator commands"), QStringLiteral("operator"));
    kind_->addItem(QStringLiteral("Deployments"), QStringLiteral("deployment"));
    kind_->addItem(QStringLiteral("Andon alerts"), QStringLiteral("andon"));
    kind_->addItem(QStringLiteral("Shed bursts"), QStringLiteral("shed"));
    kind_->addItem(QStringLiteral("Policy versions"), QStringLiteral("policy"));
    text_ = new QLineEdit(this);
    text_->setPlaceholderText(QStringLiteral("Filter events…"));
    text_->setAccessibleName(QStringLiteral("Timeline text filter"));
    text_->setClearButtonEnabled(true);
    filters->addWidget(kind_);
    filters->addWidget(text_, 1);
    layout->addLayout(filters);

    model_ = new TimelineModel(this);
    proxy_ = new TimelineFilter(this);
    proxy_->setSourceModel(model_);
    table_ = new QTableView(this);
    table_->setModel(proxy_);
    table_->setAccessibleName(QStringLiteral("Event timeline"));
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setColumnWidth(TimelineModel::Time, 100);
    table_->setColumnWidth(TimelineModel::Kind, 140);
    table_->setColumnWidth(TimelineModel::Subject, 140);
    table_->setWordWrap(false);
    // Compact rows: an operator reads the timeline during an incident, a dozen rows at a time.
    table_->verticalHeader()->setDefaultSectionSize(table_->fontMetrics().height() + 6);
    table_->setMinimumHeight(table_->verticalHeader()->defaultSectionSize() * 4);
    layout->addWidget(table_);
    connect(kind_, &QComboBox::currentIndexChanged, this, &TimelineView::applyFilter);
    connect(text_, &QLineEdit::textChanged, this, &TimelineView::applyFilter);
}

void TimelineView::applyFilter() {
    auto* filter = static_cast<TimelineFilter*>(proxy_);
    filter->kind = kind_->currentData().toString();
    filter->text = text_->text();
    filter->refresh();
}

void TimelineView::showSnapshot(const EngineSnapshot& snapshot) {
    model_->merge(snapshot.timeline);
}

}  // namespace tai::ui
