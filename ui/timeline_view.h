#pragma once

#include "engine/engine_snapshot.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace tai::ui {

class TimelineModel;

// The event timeline with filters by kind and free text.
class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);

    void showSnapshot(const EngineSnapshot& snapshot);
    TimelineModel* model() const { return model_; }
    QSortFilterProxyModel* filtered() const { return proxy_; }
    QComboBox* kindFilter() const { return kind_; }
    QLineEdit* textFilter() const { return text_; }

private:
    void applyFilter();

    TimelineModel* model_;
    QSortFilterProxyModel* proxy_;
    QTableView* table_;
    QComboBox* kind_;
    QLineEdit* text_;
};

}  // namespace tai::ui
