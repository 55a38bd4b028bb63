"""The error catalogue and the exception tree.

Every problem found in input has a stable code, a severity, a title and a Chinese message
template that says what is wrong and how to fix it. Tests assert on codes, not wording.
"""

from __future__ import annotations

import errno
import string
from dataclasses import asdict, dataclass
from enum import Enum
from functools import cached_property

from .figures import Issues
from .format import writable


class Severity(Enum):
    ERROR = "錯誤"
    WARNING = "警告"


@dataclass(frozen=True)
class Rule:
    """One kind of problem: its severity, its title (the 檢核結果's 類型; the code is for
    tools), and the templates of what is wrong and how to fix it."""

    severity: Severity
    title: str
    message: str
    hint: str = ""

    @cached_property
    def fields(self) -> frozenset[str]:
        """The names the message and the hint are filled with."""
        parsed = string.Formatter().parse(self.message + self.hint)
        return frozenset(name for _, name, _, _ in parsed if name is not None)


FIELDS: dict[str, str] = {
    "sheet": "the sheet's name (the problem's own `sheet`)",
    "unit": "the unit, or for the roll-up the agency (the problem's own `unit`)",
    "column": "the column's header",
    "field": "the 基本資料 field's label",
    "value": "what the cell or file holds, quoted back (a long text shortened)",
    "expected": "what it should have been",
    "suggestion": "what to type instead",
    "choices": "the allowed values, listed",
    "year": "the year of the build or the file",
    "row": "a row number",
    "detail": "anything else the message names: a reason, other files, a range",
}
"""Every name a template may use, and what it holds."""


E, W = Severity.ERROR, Severity.WARNING

CATALOGUE: dict[str, Rule] = {
    # The file as a whole
    "not-a-workbook": Rule(
        E,
        "非活頁簿檔案",
        "檔案不是可讀取的活頁簿（.xlsx、.xlsm 或 .ods），判斷為「{detail}」，無法讀取。",
        "請以 Excel 或 LibreOffice 開啟後「另存新檔」為 .xlsx 或 .ods，或將此檔移出資料夾。",
    ),
    "legacy-xls": Rule(
        E,
        "舊版 .xls 檔",
        "檔案為舊版 Excel 97-2003 格式（.xls）。",
        "請以 Excel 或 LibreOffice 另存為 .xlsx 或 .ods 後再放入資料夾。",
    ),
    "encrypted": Rule(
        E, "檔案加密", "檔案已加密（設有開啟密碼）。", "請移除密碼後另存為 .xlsx 或 .ods。"
    ),
    "corrupt": Rule(
        E,
        "檔案損毀",
        "檔案已損毀或不完整：{detail}。",
        "請向填報單位索取原檔重新複製，或以 Excel 開啟後另存。",
    ),
    "unsafe-content": Rule(
        E,
        "可疑的檔案內容",
        "檔案含有不允許的內容（{detail}），為安全起見已拒絕讀取。",
        "請以 Excel 開啟檔案、將資料複製到新的空白範本後另存。",
    ),
    "too-large": Rule(
        E,
        "檔案過大",
        "檔案內容過大（{detail}），已拒絕讀取。",
        "請刪除多餘的列、欄與圖片後另存；若為不明來源檔案請勿開啟。",
    ),
    "huge-range": Rule(
        E,
        "工作表範圍異常",
        "工作表「{sheet}」的使用範圍異常（{detail}），已拒絕讀取。",
        "請在 Excel 中刪除資料以外的多餘列與欄後另存。",
    ),
    "unreadable": Rule(
        E,
        "無法讀取檔案",
        "無法開啟檔案：{detail}。",
        "請確認檔案未被其他程式鎖定、且您有讀取權限後再試。",
    ),
    "open-in-excel": Rule(
        W,
        "檔案開啟中",
        "檔案似乎仍在 Excel 中開啟（資料夾內有暫存檔「{detail}」），讀取的是最後一次儲存的內容。",
        "請先在 Excel 中儲存並關閉檔案後再執行。",
    ),
    "open-in-libreoffice": Rule(
        W,
        "檔案開啟中",
        "檔案似乎仍在 LibreOffice 中開啟（資料夾內有鎖定檔「{detail}」），讀取的是最後一次儲存的內容。",
        "請先在 LibreOffice 中儲存並關閉檔案後再執行。",
    ),
    "skipped-file": Rule(
        W,
        "未讀取的檔案",
        "此檔未讀取：{detail}。",
        "若其中有填報資料，請將活頁簿另存為 .xlsx 或 .ods 後放入資料夾；否則可不理會或刪除。",
    ),
    "no-info-sheet": Rule(
        E,
        "缺少基本資料",
        "找不到「基本資料」工作表，無法判斷填報單位與年度。",
        "請使用 gmreport templates 產生的範本填報，勿刪除或更名「基本資料」工作表。",
    ),
    "info-missing": Rule(
        E, "基本資料未填", "基本資料「{field}」未填寫。", "請在「基本資料」工作表 B 欄填寫{field}。"
    ),
    "western-year": Rule(
        E,
        "年度填西元年",
        "基本資料「年度」填寫「{value}」，是西元年。",
        "請改填民國年度 {suggestion}（民國年 = 西元年 − 1911）。",
    ),
    "bad-year": Rule(
        E,
        "年度無法辨識",
        "基本資料「年度」填寫「{value}」不是有效的民國年度。",
        "請填民國年度的阿拉伯數字，例如 113。",
    ),
    "bad-filed-date": Rule(
        W,
        "填報日期無法辨識",
        "基本資料「填報日期」填寫「{value}」不是有效日期，報告封面不會列出填報日期。",
        "請填 Excel 日期，或 113/12/30、113年12月30日 等格式。",
    ),
    "unknown-unit": Rule(
        E,
        "填報單位不符",
        "填報單位「{value}」不在設定檔的單位清單中。",
        "請填下列單位之一：{choices}；若為新設單位，請人事室更新設定檔。",
    ),
    "other-agency": Rule(
        W,
        "機關名稱不符",
        "機關名稱「{value}」與設定檔「{expected}」不同。",
        "請確認是否為本機關的檔案。",
    ),
    "other-year": Rule(
        W,
        "非本年度檔案",
        "檔案年度為 {value} 年，非本次彙整的 {expected} 年度，已另列於附錄，不納入統計。",
        "若為去年檔案，可移出資料夾；若年度填錯，請更正「基本資料」的年度。",
    ),
    # Earlier years' figures (SPEC §3 History): each file not used is named, with why
    "history-unreadable": Rule(
        W,
        "歷年統計數據無法讀取",
        "歷年統計數據檔無法讀取（{detail}），未納入歷年比較。",
        "請重新產製該年度的統計數據，或將此檔移出資料夾。",
    ),
    "history-other-schema": Rule(
        W,
        "歷年統計數據格式不符",
        "歷年統計數據檔的格式為「{value}」，非「{expected}」，未納入歷年比較。",
        "請以本工具重新產製該年度的統計數據。",
    ),
    "history-other-agency": Rule(
        W,
        "歷年統計數據機關不符",
        "歷年統計數據檔屬「{value}」，非本機關「{expected}」，未納入歷年比較。",
        "請確認是否放錯資料夾，並將此檔移出。",
    ),
    "history-later-year": Rule(
        W,
        "歷年統計數據年度不符",
        "歷年統計數據檔為 {value} 年度，並非本次彙整的 {expected} 年度以前，未納入歷年比較。",
        "歷年比較只採用以前年度的統計數據；請確認資料夾或 --year。",
    ),
    "history-duplicate-year": Rule(
        W,
        "歷年統計數據重複",
        "{year} 年度有兩個以上的統計數據檔，採用產製時間最新的本檔；未採用：{detail}。",
        "請確認何者為正確版本，將其他檔案移出資料夾。",
    ),
    "duplicate-unit": Rule(
        E,
        "同單位多個檔案",
        "{unit}有兩個以上 {year} 年度的檔案：「{detail}」。",
        "請確認哪一個是正確版本，將其他的移出資料夾。",
    ),
    "empty-workbook": Rule(
        W,
        "繳交空白表",
        "未填任何資料：各工作表都沒有資料列，本單位列為「繳交空白表」。",
        "若本單位確有辦理事項或人員，請填寫後重新繳交；可能是誤交了空白範本。",
    ),
    "duplicate-sheet": Rule(
        E,
        "工作表重複",
        "活頁簿中有名稱只差空白、全形半形或大小寫的工作表「{detail}」，都是「{value}」；"
        "已讀取第一個，本表的 {row} 列資料未讀取。",
        "請將資料合併到同一個「{value}」工作表，並刪除另一個。",
    ),
    "unknown-sheet": Rule(
        E,
        "工作表名稱不符",
        "工作表「{sheet}」不是標準工作表，但有資料，其資料不會被讀取。",
        "請將工作表名稱改回標準名稱{suggestion}，或把資料移到正確的工作表。",
    ),
    "above-header": Rule(
        E,
        "標題列上方有資料",
        "工作表「{sheet}」的標題列上方第 {detail} 列有資料，這些資料不會被讀取。",
        "請把資料移到標題列下方；標題列上方只保留工作表標題。",
    ),
    "duplicate-header": Rule(
        E,
        "欄位標題重複",
        "工作表「{sheet}」的欄位「{detail}」出現兩次，無法判斷要讀取哪一欄。",
        "請刪除或更名其中一欄，只保留一個「{detail}」欄。",
    ),
    "column-missing": Rule(
        W,
        "缺少非必填欄位",
        "工作表「{sheet}」缺少非必填欄位：{detail}，其餘欄位照常讀取。",
        "建議由新範本複製標題列貼回，避免日後漏填。",
    ),
    "header-missing": Rule(
        E,
        "缺少欄位標題",
        "工作表「{sheet}」找不到標題列，或缺少欄位：{detail}，本工作表資料未讀取。",
        "請勿刪除或修改範本的欄位標題；可由新範本複製標題列貼回第 {row} 列。",
    ),
    # One cell
    "required-blank": Rule(
        E,
        "必填欄位空白",
        "「{column}」未填寫，此列不列入統計。",
        "請填寫此欄；若此列不需要，請刪除整列。",
    ),
    "bad-choice": Rule(
        E,
        "不在選項內",
        "「{column}」填寫「{value}」，不在選項內。",
        "請由下拉選單選擇：{choices}。",
    ),
    "cedaw-internal-audience": Rule(
        E,
        "宣導對象為內部人員",
        "CEDAW 宣導對象「{value}」為內部人員；CEDAW 宣導限對外部民眾辦理。",
        "本所同仁參加的課程請填在「培力紀錄」；對外宣導請選擇：{choices}。",
    ),
    "excel-error": Rule(
        E,
        "Excel 錯誤值",
        "儲存格為 Excel 錯誤值（例如 #N/A、#REF!、#VALUE!），此列不列入統計。",
        "請修正公式，或改填數值（可複製後「貼上值」）。",
    ),
    "formula-no-value": Rule(
        E,
        "公式沒有計算結果",
        "此儲存格是公式，但檔案中沒有公式的計算結果（由程式或系統匯出的檔案常見），無法讀取其數值。",
        "請以 Excel 或 LibreOffice 開啟此檔後直接存檔（存檔時會算出公式結果），或改填數值。",
    ),
    "bad-date": Rule(
        E,
        "日期無法辨識",
        "「{column}」填寫「{value}」不是有效日期。",
        "請填 Excel 日期，或 113/3/5、113年3月5日、2024-03-05 等格式。",
    ),
    "date-out-of-range": Rule(
        E,
        "日期不合理",
        "「{column}」填寫「{value}」，年份不合理（早於民國元年或晚於民國 300 年）。",
        "請填實際日期，例如 113/3/5；迄日或離職日期尚未確定（仍在職、仍在留職停薪）請留空。",
    ),
    "date-outside-year": Rule(
        W,
        "日期不在本年度",
        "「{column}」為 {value}，不在 {year} 年度內，此列不列入統計。",
        "若日期填錯請更正；若確屬其他年度，請刪除此列。",
    ),
    "not-employed-in-year": Rule(
        W,
        "本年度未在職",
        "依到職、離職日期，此人於 {year} 年度未在職（{detail}），不列入應訓人員。",
        "若日期填錯請更正；若此人本年度確未在職，可刪除此列。",
    ),
    "end-before-start": Rule(
        E, "離職早於到職", "離職日期 {value} 早於到職日期 {detail}。", "請更正到職或離職日期。"
    ),
    "leave-end-before-start": Rule(
        E,
        "留停迄日早於起日",
        "留職停薪迄日 {value} 早於留職停薪起日 {detail}。",
        "請更正留職停薪起日或迄日。",
    ),
    "leave-start-missing": Rule(
        E,
        "留停起日未填",
        "填了留職停薪迄日 {value}，但未填留職停薪起日。",
        "請補填起日；迄日空白表示至年底仍在留職停薪，兩者皆空白表示本年度未留職停薪。",
    ),
    "bad-number": Rule(
        E, "數字無法辨識", "「{column}」填寫「{value}」不是數字。", "請填阿拉伯數字，例如 12。"
    ),
    "chinese-numeral": Rule(
        E,
        "填中文數字",
        "「{column}」填寫中文數字「{value}」。",
        "請改填阿拉伯數字「{suggestion}」。",
    ),
    "number-too-large": Rule(
        E,
        "數字過大",
        "「{column}」填寫「{value}」，數字大得不合理（1 兆以上），此列不列入統計。",
        "請確認數值與單位：金額以元、人數以人計。",
    ),
    "number-too-small": Rule(
        E,
        "數值過小",
        "「{column}」填寫「{value}」，金額不足 1 分錢，不像實際的金額。",
        "請填以元為單位的實際金額，例如 120000；沒有金額請填 0。",
    ),
    "implausible-count": Rule(
        W,
        "人數偏高",
        "「{column}」填寫「{value}」，單一列超過 100,000 人，請確認是否誤植。",
        "若數字正確可不處理；若為誤植請更正。",
    ),
    "phone-like-number": Rule(
        W,
        "疑似電話號碼",
        "「{column}」填寫「{value}」，看起來像電話號碼而不是人數。",
        "請確認此欄填的是人數；聯絡電話請填在「基本資料」。",
    ),
    "executed-over-allocated": Rule(
        W,
        "執行數高於編列數",
        "執行數 {value} 元高於編列數 {detail} 元。",
        "請確認金額；若確有追加預算，可在「說明」欄註明。",
    ),
    "not-whole": Rule(
        E,
        "人數非整數",
        "「{column}」填寫「{value}」，人數須為 0 以上的整數。",
        "請填 0 以上的整數。",
    ),
    "negative": Rule(E, "負數", "「{column}」填寫「{value}」，不可為負數。", "請填 0 以上的數字。"),
    "hours-out-of-range": Rule(
        E,
        "時數超出範圍",
        "「{column}」填寫「{value}」，每筆時數須大於 0 且不超過 24 小時。",
        "請填本次課程實際時數；多日課程請分列填寫。",
    ),
    "not-on-roster": Rule(
        E,
        "不在人員名冊",
        "「{value}」不在本活頁簿的人員名冊中，此筆時數無法歸屬。",
        "請確認姓名與「人員名冊」完全一致，或將此人加入人員名冊。",
    ),
    "duplicate-name": Rule(
        E,
        "姓名重複",
        "人員名冊中「{value}」重複（亦見於 {detail}）。",
        "同一人請只列一次；不同人同名請加註記區分，例如 {value}(A)。",
    ),
    "merged-cells": Rule(
        W,
        "合併儲存格",
        "{detail} 為合併儲存格，已將「{value}」套用到合併範圍內的每一列。",
        "建議取消合併儲存格，並在每一列填入值。",
    ),
    "merged-numbers": Rule(
        E,
        "數字欄合併儲存格",
        "{detail} 為合併儲存格，數字欄位無法判斷各列數值，合併範圍內的列不列入統計。",
        "請取消合併儲存格，並在每一列填入數值。",
    ),
    # Across workbooks
    "transfer": Rule(
        W,
        "機關內調動",
        "「{value}」列於{detail}，已視為同一人（機關內調動）：在職期間合併計算，"
        "培力時數加總，人員類別及主管等身分依最後任職單位認定。",
        "請確認確為同一人；若為同名的不同人，請在其中一個單位的人員名冊及培力紀錄，"
        "於姓名加註記區分，例如 {value}(A)。",
    ),
    "same-name-other-gender": Rule(
        E,
        "同名不同性別",
        "「{value}」列於{detail}，但性別不同，無法判斷是否為同一人。",
        "同一人請更正性別；若為同名的不同人，請在其中一個單位的人員名冊及培力紀錄，"
        "於姓名加註記區分，例如 {value}(A)。",
    ),
    "members-several-units": Rule(
        W,
        "多單位填小組成員",
        "性平小組成員由多個單位填寫（{detail}），已依姓名合併。",
        "性平小組成員原則上由人事室統一填寫，其他單位可留空。",
    ),
    "meetings-several-units": Rule(
        W,
        "多單位填小組會議",
        "性平小組會議由多個單位填寫（{detail}），會次與開會日期相同者只計一次。",
        "性平小組會議原則上由人事室統一填寫，其他單位可留空。",
    ),
    # Privacy (SPEC §3 ◆): a unit's entries that the report prints as they are
    "staff-indicator-small-cell": Rule(
        W,
        "本所人員統計人數過少",
        "性別統計指標「{value}」統計本所人員，其中「{column}」僅 {detail} 人（未達 {expected} 人）；"
        "成果報告及統計總表將以「*」表示該數值及可據以推算之合計、女性比例，"
        "但指標名稱或應用情形如述及該數值，仍可能辨識出個別同仁。",
        "請確認指標名稱及應用情形未述及該性別之人數；人數未達 {expected} 人之性別不宜單獨列示。",
    ),
    "narrative-names-small-group": Rule(
        W,
        "說明文字可能辨識個人",
        "「{column}」提及「{value}」，而本所{detail}未達目標時數者不足 {expected} 人；"
        "此段文字將納入成果報告，與報告中的培力數據並列可能辨識出當事人。",
        "請改以不指明人員類別及人數的方式敘述，例如「部分同仁尚未完成訓練時數，已個別通知補訓」。",
    ),
    # What a lead unit owes the report (SPEC §8 ◆): the chapter of its work item describes
    # what it did, and a missed target says why and what it will do
    "narrative-missing": Rule(
        W,
        "主辦單位未填辦理情形",
        "{unit}為工作項目「{value}」之主辦單位，未於「{sheet}」填寫該工作項目之辦理情形；"
        "報告該章僅能依統計數據敘述。",
        "請於「{sheet}」新增一列，工作項目選「{value}」，於「辦理情形」說明本年度辦理情形。",
    ),
    "review-missing": Rule(
        W,
        "未達成目標未填檢討",
        "目標「{detail}」未達成，{unit}為主辦單位，未於「{sheet}」就工作項目「{value}」"
        "填寫檢討與精進；報告中此目標之未達成原因及改善措施將列為「—」。",
        "請於「{sheet}」工作項目「{value}」之列填寫「檢討與精進」，說明未達成原因及改善措施。",
    ),
    "narrative-count-differs": Rule(
        W,
        "說明文字人數與統計不符",
        "「{column}」寫「{value}」，依填報資料計算，未達目標時數者{detail}；"
        "此段文字將納入成果報告，與報告數據不一致。",
        "請確認後修改文字，或以不寫人數的方式敘述（例如「部分同仁尚未完成訓練時數」）。",
    ),
    # 計畫期程總檢討 (SPEC §8 ◆): the units' review of the whole plan period, printed in the
    # plan's last year only
    "period-review-missing": Rule(
        W,
        "主辦單位未填計畫期程總檢討",
        "本年度為計畫最末年度，{unit}為主辦單位，未於「{sheet}」以工作項目「{value}」"
        "填寫整個計畫期程之檢討；報告「計畫期程總檢討」章僅能依統計數據敘述。",
        "請於「{sheet}」新增一列，工作項目選「{value}」，於「辦理情形」說明計畫期程內之整體"
        "辦理成果，於「檢討與精進」說明檢討及後續精進作為。",
    ),
    "period-review-not-last-year": Rule(
        W,
        "非計畫最末年度之期程總檢討",
        "工作項目「{value}」僅於計畫最末年度（{expected} 年度）之成果報告使用，"
        "本年度（{detail} 年度）報告不列入此列內容。",
        "本年度之辦理情形請改填於對應之工作項目；計畫期程總檢討請於 {expected} 年度填報時填寫。",
    ),
    # 佐證照片 (SPEC §8 ◆): each file of the photo folder not put in the report, and why
    "photo-misnamed": Rule(
        W,
        "佐證照片檔名不符",
        "佐證照片的檔名不符命名方式（{detail}），未放入報告。",
        "請將檔名改為「工作項目序號-照片說明.jpg」，序號為{choices}，"
        "例如「二-性別意識培力課程.jpg」。",
    ),
    "photo-not-image": Rule(
        W,
        "非照片檔案",
        "此檔不是可放入報告的照片（{detail}），未放入報告。",
        "若為照片，請以看圖或修圖軟體開啟後另存為 .jpg 或 .png，再放入「佐證照片」資料夾；"
        "若不是照片，請移出該資料夾。",
    ),
    "photo-too-large": Rule(
        W,
        "照片過大",
        "照片過大（{detail}），為安全起見未開啟，未放入報告。",
        "請以修圖軟體將照片縮小（例如長邊 4,000 像素以下）後另存為 .jpg，再放入「佐證照片」"
        "資料夾；來源不明的檔案請勿開啟。",
    ),
    "photo-elsewhere": Rule(
        W,
        "照片位置不符",
        "此檔不在填報資料夾最上層的「{expected}」資料夾中，未放入報告。",
        "報告只採用填報資料夾最上層「{expected}」資料夾內的照片，請將照片移入該資料夾"
        "（不要放在其中的子資料夾）。",
    ),
    # The build's own output (SPEC §8): a chart the report should have and lacks
    "chart-missing": Rule(
        W,
        "統計圖未繪製",
        "報告缺少統計圖「{value}」：此電腦找不到可顯示中文的字型（{detail}）。",
        "請安裝中文字型（Windows 內建標楷體；Linux 請安裝 {suggestion} 套件）後重新產製報告。",
    ),
    # The roll-up: an agency's figures file not used (its `unit` is the agency). Each message
    # is a reason as the roll-up lists it after the file's name, so it has no final 「。」.
    "rollup-unreadable": Rule(
        E,
        "無法讀取",
        "無法讀取檔案（{detail}）",
        "請確認檔案未被其他程式鎖定、且您有讀取權限後再試。",
    ),
    "rollup-too-large": Rule(
        E,
        "檔案過大",
        "檔案過大（{detail}），不是統計數據檔，未讀取",
        "統計數據檔由 gmreport build 產出，約數十 KB；請確認是否放錯檔案。",
    ),
    "rollup-not-json": Rule(
        E,
        "非 JSON",
        "不是 JSON 格式的統計數據檔（無法解析）",
        "請該機關以 gmreport build 重新產出「年度統計數據.json」後提報。",
    ),
    "rollup-other-schema": Rule(
        E,
        "格式版本不符",
        "格式版本為 {value}，本工具彙整「{expected}」版本的統計數據檔",
        "請該機關以新版 gmreport 重新產出統計數據後提報。",
    ),
    "rollup-invalid": Rule(
        E,
        "格式不符",
        "不符合統計數據檔格式：{detail}",
        "請該機關以 gmreport build 重新產出統計數據，勿以其他程式編輯後提報。",
    ),
    "rollup-duplicate": Rule(
        W,
        "同機關重複",
        "與「{expected}」同為{unit} {year} 年度之統計數據，採用產製時間較晚之「{expected}」",
        "請確認何者為正確版本，將其他檔案移出資料夾。",
    ),
    "rollup-other-year": Rule(
        W,
        "非本年度（擱置）",
        "年度為 {value} 年，非本次彙整之 {year} 年度",
        "若年度填錯，請該機關更正後重新提報；否則可將此檔移出資料夾。",
    ),
}


@dataclass(frozen=True)
class Problem:
    """One problem found in input, located as precisely as it can be."""

    code: str
    severity: Severity
    message: str
    hint: str
    file: str = ""
    unit: str = ""
    sheet: str = ""
    cell: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    @property
    def title(self) -> str:
        """The kind of problem, in Chinese (類型)."""
        return CATALOGUE[self.code].title

    @property
    def where(self) -> str:
        """`檔案 › 工作表!儲存格` as people read it."""
        place = self.sheet + (f"!{self.cell}" if self.cell else "")
        return " › ".join(p for p in (self.file, place) if p)

    def as_dict(self) -> dict[str, str]:
        return asdict(self) | {"severity": self.severity.value}


def problem(
    code: str,
    *,
    file: str = "",
    unit: str = "",
    sheet: str = "",
    cell: str = "",
    **params: object,
) -> Problem:
    """Make the problem `code` of the catalogue, filling its message templates.

    A template's field left unfilled is a mistake in the code that calls this, not in the
    input: it raises MissingField, as a name outside FIELDS raises TypeError."""
    rule = CATALOGUE[code]
    if unknown := set(params) - FIELDS.keys():
        raise TypeError(f"problem({code!r}) got unknown fields: {', '.join(sorted(unknown))}")
    file, unit, sheet, cell = (writable(str(t)) for t in (file, unit, sheet, cell))
    params = {k: v for k, v in {"sheet": sheet, "unit": unit}.items() if v} | params
    params = {k: writable(v) if isinstance(v, str) else v for k, v in params.items()}
    value = params.get("value")
    if isinstance(value, str) and len(value) > 60:  # a message must fit in one Excel cell
        params["value"] = value[:60] + "…"  # a long cell value quoted back in part
    if missing := rule.fields - params.keys():
        raise MissingField(f"problem({code!r}) needs {', '.join(sorted(missing))}")
    message, hint = (template.format_map(params) for template in (rule.message, rule.hint))
    return Problem(code, rule.severity, message, hint, file, unit, sheet, cell)


class MissingField(KeyError):
    """A message template's field that its caller did not give."""


def count_by_severity(problems: list[Problem]) -> Issues:
    errors = sum(p.is_error for p in problems)
    return {"errors": errors, "warnings": len(problems) - errors}


_OS_REASONS = {
    errno.ENOENT: "找不到檔案或資料夾",
    errno.ENOTDIR: "路徑中有一段是檔案而不是資料夾",
    errno.EISDIR: "這是資料夾，不是檔案",
    errno.EACCES: "沒有權限",
    errno.EPERM: "系統不允許這項操作",
    errno.EROFS: "這個位置是唯讀的",
    errno.ENOSPC: "磁碟空間不足",
    errno.ENAMETOOLONG: "檔名或路徑太長",
    errno.EEXIST: "已有同名的檔案",
    errno.EBUSY: "檔案正被其他程式使用",
}


def os_reason(e: OSError) -> str:
    """What went wrong with a file, in Chinese (the system's own words are English)."""
    return _OS_REASONS.get(e.errno or 0, f"系統錯誤（代碼 {e.errno}）")


class GmreportError(Exception):
    """An expected failure the CLI reports as `錯誤：…` with its exit code."""

    exit_code = 1


class UsageError(GmreportError):
    """Bad command-line usage, or a config file that is unreadable, has an unknown key, a
    wrong type or an impossible value."""

    exit_code = 2


class OutputError(UsageError):
    """An output file could not be written: a usage error (SPEC §5), since the input data are
    not at fault — another folder, free space or a closed file is what it takes."""
