"""Write input_samples/: two realistic years, 113 and 114, of 高雄市旗津區公所, one folder
per year (input_samples/113, input_samples/114) and one workbook per unit.

Each workbook starts as the blank standard workbook (`gmreport.blank`), so samples and
templates never drift apart; the records below are then written from row 3 down. The data
is hand-written and deterministic. On purpose: 調解委員會 sends nothing (未繳交), a last-year
民政課 file lies in the 113 folder, five people fall short of their hours, one training row
is dated in 112, and cells are typed the messy-but-valid ways people type them.

114 is 113 a year on (see `NEXT_YEAR_CHANGES`), changed the ways that show trends in the
114 report's 歷年比較: 完訓率 up (four of the five short in 113 catch up, so 職工及自僱非
公務人員 newly reach 100%), two meetings instead of one, one CEDAW session and one 性別影響
評估 fewer, a new indicator, a larger budget.

    python tools/make_samples.py [--out DIR]
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from copy import copy
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from reproducible import write_reproducibly

from gmreport.blank_workbook import DATA_ROWS, FIRST_DATA_ROW, blank_workbook, write_blank_workbook
from gmreport.config import Config
from gmreport.format import display_width
from gmreport.ods_writer import write_ods
from gmreport.schema import (
    INFO_FIELDS,
    INFO_SHEET,
    NO,
    SHEETS_BY_KEY,
    STAFF_TYPES,
    YES,
)

ROOT = Path(__file__).resolve().parent.parent
FILLED_ON = "2024-12-31T00:00:00Z"
"""When the samples are said to have been filled in and saved (their docProps)."""
AGENCY = Config().agency
YEAR = 113
CIVIL, CONTRACT, WORKER, SELF_EMPLOYED = STAFF_TYPES

Value = str | int | float | date | None
Record = dict[str, Value]


def d(month: int, day: int, year: int = 2024) -> date:
    """A date of 2024 (民國113年) unless told otherwise."""
    return date(year, month, day)


def roc_slash(x: date) -> str:
    """113/3/5"""
    return f"{x.year - 1911}/{x.month}/{x.day}"


def roc_dot(x: date) -> str:
    """113.03.05"""
    return f"{x.year - 1911}.{x.month:02}.{x.day:02}"


def roc_chinese(x: date) -> str:
    """113年3月5日"""
    return f"{x.year - 1911}年{x.month}月{x.day}日"


def iso(x: date) -> str:
    """2024-03-05"""
    return x.isoformat()


def western_slash(x: date) -> str:
    """2024/3/5"""
    return f"{x.year}/{x.month}/{x.day}"


# --- Training courses -------------------------------------------------------------------


@dataclass(frozen=True)
class Course:
    """A gender-awareness course; the key in COURSES is how a Person names it."""

    name: str
    course_type: str
    mode: str
    hours: float
    on: date | None = None  # None: e-learning, taken on a day of the person's choosing


COURSES = {
    "講座": Course("性別主流化專題講座：從生活看見性別平等", "性別主流化基礎", "實體", 2, d(5, 22)),
    "職工": Course("職場性別平等與性騷擾防治講習（職工場次）", "性騷擾防治", "實體", 2, d(4, 24)),
    "進階": Course(
        "高雄市政府性別主流化進階研習：性別影響評估與性別預算實務",
        "性別主流化進階",
        "混成",
        3,
        d(7, 16),
    ),
    "統計": Course("性別統計與性別分析實務研習", "性別主流化進階", "實體", 3, d(8, 20)),
    "主管": Course(
        "主管人員性別主流化課程：性別觀點與決策（e等公務園+）", "性別主流化進階", "數位", 1
    ),
    "導論": Course("性別主流化導論（e等公務園+）", "性別主流化基礎", "數位", 1),
    "CEDAW": Course("CEDAW導論與案例解析（e等公務園+）", "CEDAW", "數位", 2),
    "多元": Course("認識多元性別（e等公務園+）", "其他性別議題", "數位", 1),
    "性騷": Course("性騷擾防治三法重點解析（e等公務園+）", "性騷擾防治", "數位", 1),
    "友善": Course("打造性別友善職場（e等公務園+）", "其他性別議題", "數位", 1.5),
}

E_LEARNING_DAYS = (
    d(2, 27), d(3, 14), d(4, 9), d(5, 6), d(6, 12), d(7, 3), d(8, 8), d(9, 25), d(10, 16),
    d(11, 6), d(3, 27), d(6, 28), d(8, 29), d(11, 20), d(12, 4),
)  # fmt: skip


# --- People -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A staff member and the courses they took."""

    name: str
    gender: str
    staff_type: str
    age: str | None
    flags: str = ""  # 主: 主管, 承: 性別業務承辦人
    note: str | None = None
    courses: tuple[str | tuple[str, date], ...] = ()
    start: date | str | None = None
    end: date | str | None = None
    leave: tuple[date | str, date | str | None] | None = None  # 留職停薪起日, 迄日 (None: ongoing)


def p(
    name: str,
    gender: str,
    staff_type: str,
    age: str | None,
    flags: str,
    note: str | None,
    *courses: str | tuple[str, date],
    start: date | str | None = None,
    end: date | str | None = None,
    leave: tuple[date | str, date | str | None] | None = None,
) -> Person:
    """A Person, written compactly: a course is its COURSES key, or (key, date) to set the day."""
    return Person(name, gender, staff_type, age, flags, note, courses, start, end, leave)


@dataclass(frozen=True)
class Unit:
    """One unit's year: who works there and how its clerk types things."""

    name: str
    contact: str
    phone: str
    filed_on: date | str
    staff: tuple[Person, ...]
    explicit_no: bool = False  # this clerk types 否 rather than leaving 主管 blank
    text_dates: Callable[[date], str] | None = None  # how the clerk types dates as text
    text_every: int = 0  # every n-th training row typed as text (1: all, 0: none)
    hours_as_text: tuple[int, ...] = ()  # training rows whose hours are typed as e.g. 2小時
    odd_rows: dict[str, Record] | None = None  # a person's first training row, typed oddly
    suffix: str = ".xlsx"  # ".ods": this unit fills the template in LibreOffice


UNITS = (
    Unit(
        "民政課",
        "林雅婷",
        "07-5712301#211",
        d(12, 20),
        (
            p("郭振宇", "男", CIVIL, "50-59歲", "主", "課長", "講座", "主管"),
            p("林雅婷", "女", CIVIL, "30-39歲", "承", "課員", "講座", "進階", "導論"),
            p("陳建宏", "男", CIVIL, "40-49歲", "", "課員", "講座"),
            p("黃淑芬", "女", CIVIL, "50-59歲", "", "村里幹事", "講座"),
            p("張家豪", "男", CIVIL, "30-39歲", "", "村里幹事", "講座"),
            p("李美惠", "女", CIVIL, "40-49歲", "", "村里幹事", "講座", "多元"),
            p("王俊傑", "男", CIVIL, "40-49歲", "", "村里幹事", "CEDAW"),
            p("吳怡君", "女", CIVIL, "30-39歲", "", "村里幹事", "講座"),
            p("蔡宗翰", "男", CIVIL, "未滿30歲", "", "村里幹事", "導論", "性騷"),
            p("楊麗華", "女", CIVIL, "50-59歲", "", "村里幹事", "講座"),
            p("許志偉", "男性", CIVIL, "50-59歲", "", "村里幹事", "講座"),
            p(
                "洪秀鳳",
                "女",
                CIVIL,
                "60歲以上",
                "",
                "村里幹事，113年6月30日退休",
                "講座",
                end="113/6/30",
            ),
            p(
                "邱佩君",
                "女",
                CIVIL,
                "30-39歲",
                "",
                "村里幹事，113年7月1日由社會課調入",
                ("CEDAW", d(9, 25)),
                start=d(7, 1),
            ),
            p("曾靜宜", "女", CIVIL, "40-49歲", "", "課員", "講座"),
            p("廖文雄", "男", CIVIL, "50-59歲", "", "課員", "講座", "性騷"),
            p("賴欣怡", "女", "約僱人員", "30-39歲", "", "", "友善"),
            p("徐佳穎", "女", CONTRACT, "未滿30歲", "", "約僱人員", "講座"),
            p("周明德", "男", CIVIL, None, "", "課員", "講座"),
            p("葉姿吟", "女", CIVIL, "30-39歲", "", "課員", "講座"),
        ),
        explicit_no=True,
        text_dates=roc_slash,
        text_every=5,
        hours_as_text=(4, 13),
        odd_rows={"吳怡君": {"hours": "２"}},
    ),
    Unit(
        "社會課",
        "黃秀琴",
        "07-5712301#231",
        d(12, 23),
        (
            p("蘇慧玲", "女", CIVIL, "50-59歲", "主", "課長", "講座", "主管"),
            p("黃秀琴", "女", CIVIL, "40-49歲", "承", "課員", "講座", "進階", "導論"),
            p("莊家瑜", "女", CIVIL, "30-39歲", "", "社會工作員", "講座"),
            p("呂承翰", "男", CIVIL, "30-39歲", "", "課員", "講座"),
            p("江淑貞", "女", CIVIL, "50-59歲", "", "課員", "講座"),
            p("何雅惠", "女", CONTRACT, "30-39歲", "", "約聘社工員", "講座", "多元"),
            p("蕭詩涵", "女", CONTRACT, "未滿30歲", "", "約聘社工員", "講座"),
            p("羅冠宇", "男", CONTRACT, "30-39歲", "", "約聘社工員", "CEDAW"),
            p(
                "高郁婷",
                "女",
                CIVIL,
                "30-39歲",
                "",
                "課員，113年3月起育嬰留職停薪",
                ("導論", d(2, 27)),
                leave=("113/3/1", None),
            ),
            p("潘信宏", "男", CIVIL, "40-49歲", "", "課員", "講座"),
            p("簡惠雯", "女", CIVIL, "40-49歲", "", "課員", ("CEDAW", d(12, 20, 2023)), "多元"),
            p("朱素娟", "女", CIVIL, "50-59歲", "", "課員", "講座"),
            p("鍾育誠", "男", CIVIL, "未滿30歲", "", "課員", "講座"),
            p("彭筱涵", "女性", CIVIL, "30-39歲", "", "課員", "講座"),
            p("游麗娟", "女", CONTRACT, "40-49歲", "", "約僱人員", "講座"),
            p("詹正雄", "男", CIVIL, None, "", "課員", "講座", "性騷"),
            p("胡品妤", "女", CIVIL, "未滿30歲", "", "課員", "講座"),
            p(
                "邱佩君",
                "女",
                CIVIL,
                "30-39歲",
                "",
                "課員，113年6月30日調民政課",
                ("導論", d(5, 6)),
                end=d(6, 30),
            ),
        ),
        text_dates=roc_chinese,
        text_every=9,
    ),
    Unit(
        "經建課",
        "沈育德",
        "07-5712301#241",
        d(12, 24),
        (
            p("施國華", "男", CIVIL, "50-59歲", "主", "課長", "講座"),
            p("沈育德", "男", CIVIL, "30-39歲", "承", "課員", "講座", "進階", "導論"),
            p("余建銘", "男", CIVIL, "40-49歲", "", "技士", "講座"),
            p("盧柏翰", "男", CIVIL, "30-39歲", "", "技士", "講座"),
            p("梁嘉偉", "男", CIVIL, "30-39歲", "", "技佐", "導論", "多元"),
            p("趙婉婷", "女", CIVIL, "30-39歲", "", "課員", "講座"),
            p(
                "顏哲維",
                "男",
                CIVIL,
                "40-49歲",
                "",
                "技士，113年10月3日調入",
                ("CEDAW", d(11, 6)),
                start="113.10.03",
            ),
            p(
                "柯淑娟",
                "女",
                CIVIL,
                "50-59歲",
                "",
                "課員，113年2月至7月留職停薪",
                "講座",
                leave=(d(2, 1), "113.07.31"),
            ),
            p("翁金龍", "男", CIVIL, "60歲以上", "", "技正", "講座"),
            p("魏怡萱", "女", CONTRACT, "30-39歲", "", "約僱人員", "講座"),
            p("孫政勳", "男", CIVIL, "未滿30歲", "", "技佐", "講座"),
            p("戴瑞芬", "女", CIVIL, "40-49歲", "", "課員", "講座"),
            p("范志豪", "男", CONTRACT, "40-49歲", "", "約僱人員", "CEDAW"),
            p("方碧霞", "女", CIVIL, None, "", "課員", "講座"),
        ),
        text_dates=iso,
        text_every=3,
    ),
    Unit(
        "兵役課",
        "鄧宛儒",
        "07-5712301#251",
        "113/12/26",
        (
            p("宋永福", "男", CIVIL, "50-59歲", "主", "課長", "講座", "主管"),
            p("鄧宛儒", "女", CIVIL, "30-39歲", "承", "課員", "講座", "導論", "多元"),
            p("杜俊宏", "男", CIVIL, "40-49歲", "", "課員", "講座"),
            p("傅雅琪", "女", CIVIL, "30-39歲", "", "課員", "講座"),
            p("侯世傑", "男", CIVIL, "50-59歲", "", "課員", "講座"),
            p("曹韻如", "女", CONTRACT, "未滿30歲", "", "約僱人員", "講座"),
        ),
        text_dates=roc_slash,
        text_every=1,
        hours_as_text=(0, 1, 2, 3, 4, 5, 6, 7, 8),
        suffix=".ods",
    ),
    Unit(
        "人文課",
        "卓思妤",
        "07-5712301#261",
        d(12, 24),
        (
            p("薛春美", "女", CIVIL, "50-59歲", "主", "課長", "講座", "主管"),
            p("卓思妤", "女", CIVIL, "30-39歲", "承", "課員", "講座", "統計", "導論"),
            p("阮志明", "男", CIVIL, "40-49歲", "", "課員", "講座", "性騷"),
            p("馬家瑋", "其他", CONTRACT, "未滿30歲", "", "約僱人員", "講座", "多元"),
            p("董玉珍", "女", CIVIL, "40-49歲", "", "課員", "講座"),
            p("温承恩", "男", CIVIL, "30-39歲", "", "課員", "講座"),
            p(
                "唐佳蓉",
                "女",
                CIVIL,
                "未滿30歲",
                "",
                "課員，113年9月2日新進",
                ("導論", d(9, 25)),
                ("多元", d(10, 16)),
                start="113年9月2日",
            ),
            p(
                "藍宏銘",
                "男",
                CIVIL,
                "50-59歲",
                "",
                "課員，113年2月20日調離",
                ("多元", d(1, 17)),
                end=d(2, 20),
            ),
            p("蔣惠如", "女", CIVIL, "30-39歲", "", "課員", "講座"),
            p("石秀蘭", "女", CONTRACT, "50-59歲", "", "約僱人員", "講座"),
        ),
        text_dates=roc_dot,
        text_every=1,
    ),
    Unit(
        "秘書室",
        "連欣妤",
        "07-5712301#201",
        d(12, 27),
        (
            p("古明輝", "男", CIVIL, "50-59歲", "主", "區長", "講座", "主管"),
            p("蔡明哲", "男", CIVIL, "50-59歲", "主", "主任秘書", "講座", "主管"),
            p("姚麗卿", "女", CIVIL, "50-59歲", "主", "秘書室主任", "講座", "主管"),
            p("鄭雅文 ", "女", CIVIL, "30-39歲", "", "課員（研考）", "講座", "性騷"),
            p("連欣妤", "女", CIVIL, "30-39歲", "承", "課員", "講座", "進階", "導論"),
            p("馮建志", "男", CIVIL, "40-49歲", "", "課員", "講座"),
            p("歐淑華", "女", CIVIL, "50-59歲", "", "課員", "講座"),
            p(
                "程筱婷",
                "女",
                CIVIL,
                "未滿30歲",
                "",
                "課員，113年10月15日新進",
                ("導論", d(11, 20)),
                start="2024-10-15",
            ),
            p("陳美玲(A)", "女", CIVIL, "40-49歲", "", "辦事員", "講座"),
            p("陳美玲(B)", "女", CIVIL, "30-39歲", "", "辦事員（檔案管理）", "講座"),
            p("湯雅芳", "女", CONTRACT, "30-39歲", "", "約僱人員", "講座"),
            p("田家銘", "男", CONTRACT, "未滿30歲", "", "約僱人員", "CEDAW"),
            p("龔柏宇", "男", CIVIL, "30-39歲", "", "課員", "講座"),
            p("康清水", "男", "技工", "60歲以上", "", "", "職工"),
            p("姜進財", "男", WORKER, "50-59歲", "", "技工", "職工"),
            p("白永昌", "男", WORKER, "50-59歲", "", "駕駛", "多元"),
            p("汪志成", "男", "駕駛", "40-49歲", "", "", "職工"),
            p("鄒月娥", "女", "工友", None, "", "", "職工"),
            p("尤素貞", "女", WORKER, "50-59歲", "", "工友", "職工"),
            p("巫秀英", "女", SELF_EMPLOYED, "50-59歲", "", "清潔人員", "職工"),
            p("黎國忠", "男", SELF_EMPLOYED, "40-49歲", "", "清潔人員", "職工"),
            p("涂美珠", "女", "臨時人員", "30-39歲", "", "", "職工", "多元"),
        ),
        text_dates=roc_chinese,
        text_every=8,
        hours_as_text=(5,),
        odd_rows={"黎國忠": {"name": "黎 國忠"}},
    ),
    Unit(
        "人事室",
        "嚴詩婷",
        "07-5712301#281",
        d(12, 31),
        (
            p("李佩珊", "女", CIVIL, "50-59歲", "主", "人事室主任", "講座", "主管"),
            p("嚴詩婷", "女", CIVIL, "30-39歲", "承", "課員", "講座", "進階", "導論"),
            p("韓志遠", "男", CIVIL, "40-49歲", "", "課員", "講座"),
            p("袁家琪", "女", CONTRACT, "30-39歲", "", "約僱人員", "講座"),
        ),
        explicit_no=True,
        text_dates=western_slash,
        text_every=4,
    ),
    Unit(
        "會計室",
        "金佩玲",
        "07-5712301#291",
        western_slash(d(12, 27)),
        (
            p("吳淑惠", "女", CIVIL, "50-59歲", "主", "會計室主任", "講座", "主管"),
            p("金佩玲", "女", CIVIL, "40-49歲", "承", "課員", "講座", "統計", "導論"),
            p("陸冠廷", "男", CIVIL, "30-39歲", "", "佐理員", "講座"),
            p("夏宜蓁", "女", CIVIL, "未滿30歲", "", "課員", "講座"),
        ),
    ),
)


# --- The other sheets, by unit ----------------------------------------------------------

OTHER_RECORDS: dict[str, dict[str, list[Record]]] = {
    "民政課": {
        "indicators": [
            {
                "name": "旗津區里長人數按性別分",
                "status": "既有",
                "cross": NO,
                "male": 9,
                "female": 4,
                "other": 0,
                "period": "113年底",
                "application": "運用於里長聯繫會報CEDAW宣導，鼓勵女性參與社區公共事務。",
            },
            {
                "name": "旗津區人口數按性別及年齡分",
                "status": "既有",
                "cross": "年齡、里別",
                "male": "13,904",
                "female": "13,015",
                "period": "113年12月底",
                "application": "作為高齡友善設施與托育資源配置之規劃依據。",
            },
        ],
        "budget": [
            {
                "name": "婦女節CEDAW有獎徵答活動",
                "category": "計畫類",
                "allocated": 60000,
                "executed": "58,350",
                "beneficiaries_male": 57,
                "beneficiaries_female": 131,
                "beneficiaries_other": 3,
                "note": "辦理線上有獎徵答及獎品採購，宣導CEDAW條文。",
            },
        ],
        "cedaw": [
            {
                "name": "婦女節CEDAW有獎徵答（本所臉書粉絲專頁）",
                "date": "113.03.08",
                "audience": "一般民眾",
                "method": "社群媒體",
                "content": "CEDAW條文及應用",
                "participants_male": "57人",
                "participants_female": "131人",
                "participants_other": "3人",
                "reach": "3,480人次",
                "external": NO,
                "note": "以CEDAW生活案例設計10題徵答，共191人完成作答。",
            },
            {
                "name": "113年度里長聯繫會報CEDAW宣導",
                "date": d(4, 18),
                "audience": "村里長",
                "method": "實體活動",
                "content": "CEDAW條文及應用",
                "participants_male": 9,
                "participants_female": 4,
                "participants_other": 0,
                "external": NO,
                "note": "於里長聯繫會報安排30分鐘CEDAW條文及案例解說，13位里長全數出席。",
            },
        ],
        "measures": [
            {
                "name": "《旗津區政通訊》性別平等專欄",
                "item": "提報含性別平等專章或專節之文章或刊物",
                "date": d(9, 30),
                "media": "刊物",
                "reach": "1,500",
                "result": "第3季區政通訊刊登「家務分工，幸福加倍」專文，發行1,500份分送13里。",
            },
        ],
        "narratives": [
            {
                "item": "CEDAW宣導及其他性平措施",
                "done": "本所113年由民政課與社會課共同辦理CEDAW宣導3場次，對象涵蓋里長、"
                "一般民眾及人民團體，宣導方式包括實體活動及社群媒體；另結合業務辦理其他"
                "性別平等措施3項，包括區政通訊性別平等專欄、新住民婦女成長課程及Podcast節目。",
                "review": "社群媒體宣導之參與者以女性居多，男性民眾參與仍有提升空間；114年將"
                "結合漁港及廟會等在地活動辦理宣導，並增加結合外部資源之場次。",
            },
        ],
    },
    "社會課": {
        "indicators": [
            {
                "name": "低收入戶及中低收入戶人數按性別及年齡分",
                "status": "既有",
                "cross": "年齡",
                "male": 412,
                "female": 503,
                "period": "113年底",
                "application": "女性較多且集中於高齡者，據以加強獨居女性長者之關懷訪視。",
            },
            {
                "name": "身心障礙者人數按性別及障礙類別分",
                "status": "新增",
                "cross": "障礙類別 年齡",
                "male": "1,126",
                "female": 947,
                "other": 0,
                "period": "113年底",
                "application": "配合輔具服務宣導，分析不同性別身心障礙者之服務需求。",
            },
        ],
        "budget": [
            {
                "name": "新住民婦女成長及培力課程",
                "category": "計畫類",
                "allocated": "350,000",
                "executed": 328600,
                "beneficiaries_male": 3,
                "beneficiaries_female": 42,
                "beneficiaries_other": 0,
                "note": "辦理中文識字、電腦及創業培力課程，並提供臨時托育服務。",
            },
        ],
        "cedaw": [
            {
                "name": "人民團體幹部CEDAW暨性別平等宣導講座",
                "date": d(10, 24),
                "audience": "人民團體",
                "method": "實體活動",
                "content": "CEDAW指引",
                "participants_male": "２１",
                "participants_female": 18,
                "participants_other": 0,
                "external": YES,
                "note": "結合民間婦女團體講師，於社區發展協會幹部研習中辦理，說明CEDAW指引"
                "於社團運作之應用。",
            },
        ],
        "measures": [
            {
                "name": "新住民婦女成長及培力課程",
                "item": "促進婦女經濟參與",
                "date": d(8, 15),
                "media": "實體課程",
                "participants_male": 3,
                "participants_female": 42,
                "participants_other": 0,
                "result": "開設3班共24堂課，45人結業，其中5人取得創業輔導諮詢。",
            },
            {
                "name": "「旗津好厝邊」Podcast：照顧不是女人的事",
                "item": "破除性別刻板印象",
                "date": "113年11月12日",
                "media": "Podcast",
                "reach": 1236,
                "result": "上架4集，邀請照顧者分享家庭照顧分工，累計收聽1,236次。",
            },
        ],
    },
    "經建課": {
        "indicators": [
            {
                "name": "漁業災害救助申請人數按性別分",
                "status": "新增",
                "cross": NO,
                "male": 86,
                "female": 31,
                "period": "113年10月（山陀兒颱風）",
                "application": "掌握女性漁業從業者申請救助情形，作為災後宣導管道規劃之參考。",
            },
        ],
        "budget": [
            {
                "name": "旗津區公共廁所性別友善改善工程",
                "category": "計畫類",
                "allocated": "1,200,000",
                "executed": 1146500,
                "note": "旗津海岸公園公廁增設親子廁所及性別友善廁所各1處。",
            },
        ],
    },
    "兵役課": {
        "indicators": [
            {
                "name": "役男家屬生活扶助申請人數按性別分",
                "status": "既有",
                "cross": NO,
                "male": 23,
                "female": 41,
                "period": "113年",
                "application": "申請人以役男之母親或配偶為多，據以調整扶助申請之宣導對象。",
            },
        ],
    },
    "人文課": {
        "indicators": [
            {
                "name": "旗津區志工人數按性別及年齡分",
                "status": "修訂",
                "cross": "年齡",
                "male": 64,
                "female": "187人",
                "other": 0,
                "period": "113年底",
                "application": "志工以中高齡女性為主，規劃招募青年及男性志工並調整服勤時段。",
            },
        ],
        "budget": [
            {
                "name": "婦女及長者健康休閒活動",
                "category": "其他類",
                "allocated": "85,000元",
                "executed": "79,200元",
                "beneficiaries_male": 48,
                "beneficiaries_female": 126,
                "note": "於各里活動中心辦理健康講座及休閒活動共12場。",
            },
        ],
    },
    "秘書室": {
        "gia": [
            {
                "name": "旗津區113年度區政發展計畫",
                "type": "施政計畫",
                "date": d(1, 30),
                "expert": NO,
                "statistics": "旗津區人口數按性別及年齡分、里長人數按性別分",
                "result": "計畫增列鼓勵女性及高齡者參與社區事務措施，並依評估意見增設親子"
                "友善設施。",
            },
            {
                "name": "旗津區公所辦公廳舍性別友善設施改善計畫",
                "type": "中長程計畫",
                "date": "113/6/14",
                "expert": YES,
                "statistics": "本所員工人數按性別分、洽公民眾人次按性別分",
                "result": "經諮詢性別平等專家學者，建議增設哺集乳室及無性別廁所，已納入計畫並"
                "編列經費。",
            },
            {
                "name": "高雄市旗津區公所區民活動中心使用管理要點",
                "type": "法規修正",
                "date": d(10, 8),
                "statistics": "旗津區志工人數按性別及年齡分",
                "result": "修正條文增列親子活動及哺乳空間優先借用規定，經評估無不利特定性別之"
                "情形。",
            },
        ],
        "narratives": [
            {
                "item": "性別意識培力",
                "done": "113年4月24日辦理職工場次「職場性別平等與性騷擾防治講習」2小時，"
                "技工、駕駛、工友、清潔人員及臨時人員等職工及自僱非公務人員參訓。",
                "review": "駕駛同仁因派車勤務未能參加實體講習，僅以數位課程補足部分時數；"
                "114年將增辦1場次並提供課程錄影，便利輪班同仁參訓。",
            },
            {
                "item": "性別影響評估",
                "done": "113年辦理性別影響評估3案，包括區政發展計畫、辦公廳舍性別友善設施"
                "改善計畫及區民活動中心使用管理要點修正，其中1案諮詢性別平等專家學者，"
                "評估意見均已納入計畫或條文。",
                "review": "評估時運用之性別統計仍以人口數為主，114年將請業務課室提供服務"
                "使用者之性別統計，提升評估品質。",
            },
        ],
    },
    "人事室": {
        "members": [
            {"name": "蔡明哲", "gender": "男", "title": "主任秘書", "role": "召集人"},
            {"name": "李佩珊", "gender": "女性", "title": "人事室主任", "role": "人事當然成員"},
            {"name": "吳淑惠", "gender": "女", "title": "會計室主任", "role": "會計當然成員"},
            {
                "name": "許文彬",
                "gender": "男",
                "title": "調解委員會秘書",
                "role": "調解當然成員",
            },
            {"name": "鄭雅文", "gender": "女", "title": "秘書室課員", "role": "研考當然成員"},
            {
                "name": "黃秀琴",
                "gender": "女",
                "title": "社會課課員",
                "role": "婦女社會參與促進小組連絡人",
            },
            {"name": "郭振宇", "gender": "男", "title": "民政課課長", "role": "指派組員"},
            {"name": "蘇慧玲", "gender": "女", "title": "社會課課長", "role": "指派組員"},
            {"name": "施國華", "gender": "男", "title": "經建課課長", "role": "指派組員"},
            {"name": "宋永福", "gender": "男", "title": "兵役課課長", "role": "指派組員"},
            {"name": "薛春美", "gender": "女", "title": "人文課課長", "role": "指派組員"},
        ],
        "meetings": [
            {
                "session": "113年第1次會議",
                "date": "113/12/30",
                "chair": "蔡明哲",
                "attendance_male": "5",
                "attendance_female": "6人",
                "attendance_other": 0,
                "resolution": "一、通過本所113年至116年性別主流化推動計畫。二、113年性別意識"
                "培力尚有同仁未達目標時數，請人事室追蹤補訓。三、委員建議CEDAW宣導應擴及人民"
                "團體，請社會課協助辦理；請各課室檢視業務相關性別統計，增加複分類指標。",
            },
        ],
        "narratives": [
            {
                "item": "性平執行小組會議",
                "done": "本所性別平等執行小組置組員11人，由主任秘書擔任召集人，其中男性5人、"
                "女性6人，任一性別均達三分之一以上。113年12月30日召開113年第1次會議，"
                "由各課室報告性別主流化推動情形，並通過本所113年至116年性別主流化推動計畫。",
                "review": "部分課室報告偏重活動辦理情形，性別分析較少；114年起請各課室報告時"
                "附相關性別統計，並列管委員建議事項之辦理情形。",
            },
            {
                "item": "性別意識培力",
                "done": "113年5月22日辦理性別主流化專題講座2小時，並鼓勵同仁於e等公務園+"
                "學習平臺選讀性別主流化、CEDAW及多元性別等數位課程；主管人員另選讀主管課程，"
                "性別業務承辦人薦送參加市府性別主流化進階研習。",
                "review": "仍有少數同仁因育嬰留職停薪或業務繁忙未達年度目標時數，已個別通知"
                "補訓；114年將增開1場次實體課程，並於第3季起按月追蹤各課室時數。",
            },
        ],
    },
    "會計室": {
        "indicators": [
            {
                "name": "本所員工人數按性別及人員類別分",
                "status": "新增",
                "cross": YES,
                "male": 39,
                "female": 54,
                "other": 1,
                "period": "113年12月底",
                "application": "作為性別意識培力規劃及職場性別友善措施之參考。",
            },
        ],
        "budget": [
            {
                "name": "性別統計與性別分析編製",
                "category": "工具類",
                "allocated": 30000,
                "executed": 28000,
                "note": "彙編本所性別統計指標及性別分析專題1篇。",
            },
        ],
        "narratives": [
            {
                "item": "性別統計與性別預算",
                "done": "113年彙整各課室性別統計指標8項，其中新增3項、修訂1項，5項含年齡、"
                "障礙類別或人員類別等複分類；彙整性別預算5項，編列1,725,000元，執行"
                "1,640,650元，執行率95.1%。",
                "review": "部分指標尚未區分其他性別，且交織分析不足；114年將協助課室增加"
                "複分類，並結合性別預算檢視資源配置之合宜性。",
            },
        ],
    },
}


# --- Last year's file, left in the folder ------------------------------------------------

LAST_YEAR_UNIT = Unit(
    "民政課",
    "林雅婷",
    "07-5712301#211",
    d(12, 22, 2023),
    (
        p(
            "郭振宇",
            "男",
            CIVIL,
            "50-59歲",
            "主",
            "課長",
            ("講座", d(5, 17, 2023)),
            ("主管", d(9, 6, 2023)),
        ),
        p(
            "林雅婷",
            "女",
            CIVIL,
            "30-39歲",
            "承",
            "課員",
            ("講座", d(5, 17, 2023)),
            ("進階", d(7, 11, 2023)),
            ("導論", d(3, 2, 2023)),
        ),
        p("陳建宏", "男", CIVIL, "40-49歲", "", "課員", ("講座", d(5, 17, 2023))),
        p("黃淑芬", "女", CIVIL, "50-59歲", "", "村里幹事", ("講座", d(5, 17, 2023))),
        p("洪秀鳳", "女", CIVIL, "60歲以上", "", "村里幹事", ("CEDAW", d(10, 12, 2023))),
    ),
    explicit_no=True,
    text_dates=roc_slash,
    text_every=3,
)

LAST_YEAR_RECORDS: dict[str, list[Record]] = {
    "cedaw": [
        {
            "name": "112年度里長聯繫會報CEDAW宣導",
            "date": "112/4/20",
            "audience": "村里長",
            "method": "實體活動",
            "content": "CEDAW條文及應用",
            "participants_male": 10,
            "participants_female": 3,
            "external": NO,
        },
    ],
}


# --- 114: the same office a year on ---------------------------------------------------

NEXT_YEAR = YEAR + 1
NEXT_YEAR_COURSES: dict[str, tuple[str, ...]] = {
    "施國華": ("講座", "主管"),
    "鄧宛儒": ("講座", "導論", "多元", "進階"),
    "白永昌": ("多元", "職工"),
}
"""Those short of their hours in 113 who catch up in 114 (簡惠雯's CEDAW course, taken in
112 last time, is now taken in the year; 賴欣怡 stays short)."""


def _later(value: Value) -> Value:
    """A value of 113 as the same value of 114: a date a year on, 「113」 and 「2024」 in text."""
    if isinstance(value, date):
        return value.replace(year=value.year + 1)
    if isinstance(value, str):
        return value.replace("113", "114").replace("2024", "2025")
    return value


def _later_person(person: Person) -> Person | None:
    """The person a year on: gone if they left in 113, their 113 moves and dated courses
    forgotten; a 留職停薪 without an end goes on."""
    if person.end is not None:
        return None
    ongoing = person.leave if person.leave and person.leave[1] is None else None
    courses = NEXT_YEAR_COURSES.get(
        person.name, tuple(c[0] if isinstance(c, tuple) else c for c in person.courses)
    )
    note = person.note if ongoing or not person.note else person.note.split("，")[0]
    return replace(person, courses=courses, start=None, end=None, leave=ongoing, note=note)


NEXT_YEAR_UNITS = tuple(
    replace(
        unit,
        filed_on=_later(unit.filed_on),
        staff=tuple(p for p in map(_later_person, unit.staff) if p is not None),
    )
    for unit in UNITS
)


def _later_records(records: dict[str, list[Record]]) -> dict[str, list[Record]]:
    return {
        sheet: [{k: _later(v) for k, v in r.items()} for r in rows]
        for sheet, rows in records.items()
        if sheet != "narratives"
    }


NEXT_YEAR_RECORDS: dict[str, dict[str, list[Record]]] = {
    unit: _later_records(records) for unit, records in OTHER_RECORDS.items()
}
for _records in NEXT_YEAR_RECORDS.values():
    for _indicator in _records.get("indicators", []):
        if _indicator["status"] != "既有":
            _indicator["status"] = "既有"  # new or revised in 113: kept as they are in 114
del NEXT_YEAR_RECORDS["社會課"]["cedaw"]  # one session fewer: 3 → 2
NEXT_YEAR_RECORDS["秘書室"]["gia"].pop()  # one assessment fewer: 3 → 2
NEXT_YEAR_RECORDS["民政課"]["indicators"][1]["status"] = "修訂"
NEXT_YEAR_RECORDS["社會課"]["indicators"].append(
    {
        "name": "長期照顧服務使用人數按性別及年齡分",
        "status": "新增",
        "cross": "年齡",
        "male": 286,
        "female": 471,
        "other": 0,
        "period": "114年底",
        "application": "使用者以高齡女性居多，據以規劃照顧者支持及喘息服務宣導。",
    }
)
NEXT_YEAR_RECORDS["民政課"]["budget"][0].update(allocated=80000, executed="78,900")
NEXT_YEAR_RECORDS["經建課"]["budget"][0].update(
    allocated="1,350,000", executed=1338000, note="旗津渡輪站公廁增設性別友善廁所2處。"
)
NEXT_YEAR_RECORDS["人事室"]["meetings"] = [
    {
        "session": "114年第1次會議",
        "date": "114/6/20",
        "chair": "蔡明哲",
        "attendance_male": 5,
        "attendance_female": 6,
        "attendance_other": 0,
        "resolution": "一、追蹤113年委員建議事項辦理情形。二、請各課室於業務報告中附相關性別統計。",
    },
    {
        "session": "114年第2次會議",
        "date": "114/12/29",
        "chair": "蔡明哲",
        "attendance_male": 4,
        "attendance_female": 6,
        "attendance_other": 0,
        "resolution": "一、通過114年性別主流化執行成果。二、115年請增加結合外部資源之CEDAW宣導。",
    },
]
NEXT_YEAR_RECORDS["人事室"]["narratives"] = [
    {
        "item": "性平執行小組會議",
        "done": "114年召開性別平等執行小組會議2次，上半年會議追蹤113年委員建議事項，"
        "年底會議檢視全年執行成果。",
        "review": "115年起於會議中列管各課室性別統計之運用情形。",
    },
    {
        "item": "性別意識培力",
        "done": "114年續辦性別主流化專題講座，並增開職工場次講習；113年未達目標時數之同仁"
        "多已於114年補足。",
        "review": "尚有1名約僱人員未達目標時數，已個別通知於115年第1季補訓。",
    },
]


# --- Writing ----------------------------------------------------------------------------


def roster_records(unit: Unit) -> list[Record]:
    """The 人員名冊 rows of `unit`."""
    names = [person.name.strip() for person in unit.staff]
    if len(set(names)) != len(names):
        raise ValueError(f"{unit.name}: a name appears twice on the roster")
    blank_no = NO if unit.explicit_no else None
    return [
        {
            "name": person.name,
            "gender": person.gender,
            "staff_type": person.staff_type,
            "supervisor": YES if "主" in person.flags else blank_no,
            "gender_officer": YES if "承" in person.flags else blank_no,
            "age_group": person.age,
            "start": person.start,
            "end": person.end,
            "leave_start": person.leave[0] if person.leave else None,
            "leave_end": person.leave[1] if person.leave else None,
            "note": person.note,
        }
        for person in unit.staff
    ]


def training_records(unit: Unit, years_on: int = 0) -> list[Record]:
    """The 培力紀錄 rows of `unit`, typed the way its clerk types them; a course's own day
    (or an e-learning day) is moved `years_on` years later."""
    rows: list[Record] = []
    odd: dict[int, Record] = {}
    e_day = 0
    for person in unit.staff:
        if person.name in (unit.odd_rows or {}):
            odd[len(rows)] = unit.odd_rows[person.name]
        for item in person.courses:
            code, on = item if isinstance(item, tuple) else (item, None)
            course = COURSES[code]
            if on is None:
                on = course.on
                if on is None:
                    on = E_LEARNING_DAYS[e_day % len(E_LEARNING_DAYS)]
                    e_day += 1
                on = on.replace(year=on.year + years_on)
            rows.append(
                {
                    "name": person.name.strip(),
                    "course": course.name,
                    "course_type": course.course_type,
                    "mode": course.mode,
                    "date": on,
                    "hours": course.hours,
                }
            )
    for i, row in enumerate(rows):
        if unit.text_dates and unit.text_every and i % unit.text_every == unit.text_every - 1:
            row["date"] = unit.text_dates(row["date"])
        if i in unit.hours_as_text:
            row["hours"] = f"{row['hours']:g}小時"
        row.update(odd.get(i, {}))
    return rows


def fill_workbook(
    path: Path,
    info: dict[str, Value],
    sheets: dict[str, list[Record]],
    *,
    unit: str,
    year: int,
    data_rows: int = DATA_ROWS,
) -> None:
    """Write `info` into 基本資料 and each sheet's records from the first data row down: into
    the .xlsx at `path`, or, for an .ods, into the template model that is then written there."""
    if path.suffix == ".ods":
        workbook = blank_workbook(agency=AGENCY, unit=unit, year=year, data_rows=data_rows)
        fill(workbook, info, sheets)
        write_ods(workbook, path)
        return
    workbook = openpyxl.load_workbook(path)
    fill(workbook, info, sheets)
    buffer = io.BytesIO()
    workbook.save(buffer)
    # Running again leaves git clean: the stamp is the year's end, not the time of writing.
    stamp = FILLED_ON if year <= YEAR else f"{year + 1911}-12-31T00:00:00Z"
    write_reproducibly(buffer.getvalue(), path, stamp=stamp)


def fill(
    workbook: openpyxl.Workbook, info: dict[str, Value], sheets: dict[str, list[Record]]
) -> None:
    """The values of `info` and `sheets` written into `workbook`."""
    ws = workbook[INFO_SHEET]
    rows = {cell.value: cell.row for (cell,) in ws.iter_rows(max_col=1)}
    for field in INFO_FIELDS:
        if field.key in info:
            ws.cell(rows[field.label], 2, info[field.key])
    for key, records in sheets.items():
        sheet = SHEETS_BY_KEY[key]
        ws = workbook[sheet.name]
        keys = [c.key for c in sheet.columns]
        for r, record in enumerate(records, start=FIRST_DATA_ROW):
            unknown = set(record) - set(keys)
            if unknown:
                raise ValueError(f"{sheet.name}: unknown keys {sorted(unknown)}")
            lines = 1
            for c, k in enumerate(keys, start=1):
                if record.get(k) is not None:
                    cell = ws.cell(r, c)
                    # As in a spreadsheet, a cell typed into a column takes the column's style.
                    cell._style = copy(ws.column_dimensions[cell.column_letter]._style)
                    cell.value = record[k]
                    width = ws.column_dimensions[cell.column_letter].width
                    if cell.alignment.wrap_text and isinstance(record[k], str):
                        lines = max(lines, -(-display_width(record[k]) // int(width - 1)))
            if lines > 1:
                ws.row_dimensions[r].height = 15 * lines + 3


def write_unit(
    out: Path,
    unit: Unit,
    year: int,
    extra: dict[str, list[Record]] | None = None,
    *,
    data_rows: int = DATA_ROWS,
) -> Path:
    """Write one unit's filled-in workbook for `year` into `out`; return its path."""
    path = out / f"{year}年度_{unit.name}_性別主流化填報{unit.suffix}"
    if unit.suffix == ".xlsx":
        write_blank_workbook(path, agency=AGENCY, unit=unit.name, year=year, data_rows=data_rows)
    training = training_records(unit, max(0, year - YEAR))
    sheets = {"roster": roster_records(unit), "training": training, **(extra or {})}
    info = {"contact": unit.contact, "phone": unit.phone, "filed_on": unit.filed_on}
    fill_workbook(path, info, sheets, unit=unit.name, year=year, data_rows=data_rows)
    return path


def make_samples(out: Path, *, data_rows: int = DATA_ROWS) -> list[Path]:
    """Write every sample workbook into `out`/113 and `out`/114 and return their paths.

    `data_rows` is the formatted rows of the blank template (see gmreport.blank_workbook); the
    cell values written do not depend on it, so tests comparing values may ask for fewer.
    """
    first, second = out / str(YEAR), out / str(NEXT_YEAR)
    for folder in (first, second):
        folder.mkdir(parents=True, exist_ok=True)
    paths = [
        write_unit(first, unit, YEAR, OTHER_RECORDS.get(unit.name), data_rows=data_rows)
        for unit in UNITS
    ]
    paths.append(
        write_unit(first, LAST_YEAR_UNIT, YEAR - 1, LAST_YEAR_RECORDS, data_rows=data_rows)
    )
    paths += [
        write_unit(second, unit, NEXT_YEAR, NEXT_YEAR_RECORDS.get(unit.name), data_rows=data_rows)
        for unit in NEXT_YEAR_UNITS
    ]
    return paths


def main(argv: list[str] | None = None) -> int:
    """Command-line entry: write the samples into --out (default input_samples/)."""
    parser = argparse.ArgumentParser(description="產生 input_samples/ 範例填報活頁簿。")
    parser.add_argument("--out", type=Path, default=ROOT / "input_samples", help="輸出資料夾")
    args = parser.parse_args(argv)
    for path in make_samples(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
