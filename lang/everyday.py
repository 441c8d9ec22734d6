"""Everyday words of daily life and how laws and regulations write the same things.

A resident asks about 狗, 抽烟, 坐地铁, 老板, 看病; a regulation writes 犬, 吸烟, 乘坐城市轨道交通,
用人单位, 诊疗. The two share no characters, so word overlap alone finds no support for the question.
Each entry is (the everyday word as a pattern, the word as the texts write it, what a clause must say
to be answered in that wording); ``lang.wording`` applies them with its own list. Entries are words,
never questions, and cover the domains local regulations govern: animals, smoking, transport, waste,
trees and green space, shops and services, work, children and schools, housing, health, tourism,
money and the common acts of administration (查, 批, 罚, 告).

>>> from lang.wording import in_text_words
>>> in_text_words("郑州遛狗的时候狗绳能多长？")
'郑州携犬出户的时候犬链（牵引绳）能多长？'
>>> in_text_words("网吧里抽烟谁来管？")
'上网服务营业场所里吸烟由谁负责管理？'
"""

from __future__ import annotations

# compound words first: a pattern applies to the text the entries before it left
EVERYDAY: list[tuple[str, str, str]] = [
    # animals
    (r"遛狗|溜狗|带狗出门|带狗出去", "携犬出户", r"携犬|犬只出户|出户"),
    (r"狗绳|牵狗绳|遛狗绳|狗链子?", "犬链（牵引绳）", r"犬链|牵引"),
    (r"狗狗|狗(?!熊)", "犬", r"犬"),
    (r"猫咪", "猫", r"猫"),
    # smoking
    (r"抽烟", "吸烟", r"吸烟"),
    (r"抽(?=电子烟|雪茄|水烟|二手烟)", "吸", r"吸"),
    (r"(?:摆|递|发|敬)烟", "提供烟草制品", r"烟草制品|烟草|香烟"),
    # transport
    (r"(?:坐|乘|搭)(?:地铁|轻轨)", "乘坐城市轨道交通", r"轨道交通|地铁"),
    (r"(?:坐|乘|搭)公交(?:车)?", "乘坐公共汽车", r"公共汽车|公共交通|公交"),
    (r"(?<![\u4e00-\u9fff])地铁|地铁(?=站|上|里)", "城市轨道交通", r"轨道交通|地铁"),
    (r"共享(?:电单车|电动车|电瓶车|电动自行车)(?:公司|企业)?", "互联网电动自行车租赁企业", r"租赁"),
    (r"共享单车(?:公司|企业)?", "互联网租赁自行车企业", r"租赁"),
    (r"电动车", "电动自行车", r"电动自行车"),
    (r"(?:不|没)给(?:配|发|提供)|(?:不|没)(?:配|提供)(?=[\u4e00-\u9fff]{1,4}[呢吗？?]|$)", "未提供", r"提供|配备|配置"),
    (r"开罚单|贴罚单|罚单", "行政处罚", r"处罚|罚款"),
    (r"交警", "公安机关交通管理部门", r"交通管理"),
    (r"开车", "驾驶机动车", r"驾驶"),
    # waste, noise, building
    (r"乱扔|随手扔|扔(?:掉|到)?|丢掉", "丢弃（遗弃）", r"丢弃|遗弃|抛弃|弃置|随意|随处"),
    (r"死了|死掉了?|病死", "死亡", r"死亡"),
    (r"垃圾桶|垃圾箱", "生活垃圾收集容器", r"垃圾|收集容器|收集设施"),
    (r"噪音", "噪声", r"噪声"),
    (r"盖房子?|建房子?|起房子?", "建设建筑物", r"建设|建造|建筑"),
    (r"拆房子?", "拆除建筑物", r"拆除"),
    (r"装修", "装饰装修", r"装饰装修|装修"),
    # trees and green space
    (r"砍树|砍了?(?=[^\s，。？?]{0,4}树)", "砍伐", r"砍伐|采伐"),
    (r"剥树皮|扒树皮", "剥损树皮", r"剥损|树皮"),
    (r"钉钉子|钉子", "钉钉", r"钉"),
    (r"拴绳子?|绑绳子?|挂东西", "悬挂物品、缠绕", r"悬挂|缠绕|攀树|拴"),
    # farming, water and property
    (r"养鱼|养虾|养鸭|鱼塘", "水产养殖", r"水产养殖|养殖"),
    (r"浇庄稼|浇地|浇菜|浇田|浇水灌溉", "农业灌溉", r"灌溉"),
    (r"种地|种庄稼|种粮", "农业生产", r"农业生产|种植"),
    (r"回收再用|重复使用|循环用|再用", "回收利用", r"回收利用|循环利用|重复利用|回用"),
    (r"原来的主人|原主人|物主|东西的主人", "所有者", r"所有者|所有人|寄存者|所有权"),
    # shops and services
    (r"网吧", "上网服务营业场所", r"上网服务"),
    (r"KTV|ktv|卡拉OK|歌厅|舞厅", "歌舞娱乐场所", r"娱乐场所|歌舞"),
    (r"饭店|餐馆|饭馆|小饭馆", "餐饮服务场所", r"餐饮"),
    (r"开店", "从事经营活动", r"经营"),
    (r"店家|商家|店主", "经营者", r"经营者"),
    # work
    (r"老板|雇主|东家", "用人单位", r"用人单位|经营者|雇主"),
    (r"打工的|打工者|员工|工人", "劳动者", r"劳动者|职工|从业人员"),
    (r"失业金|失业救济金?", "失业保险金", r"失业保险"),
    (r"找工作", "求职", r"求职|就业"),
    (r"招人|招工", "招用人员", r"招用|招聘|录用"),
    (r"(?<![\u4e00-\u9fff])工厂", "工业企业", r"工业企业|企业"),
    # children and schools
    (r"小孩子?|小朋友|娃娃?", "儿童", r"儿童|幼儿|未成年人"),
    (r"老师", "教师", r"教师|教职工|保育"),
    (r"上学", "入学", r"入学|接受教育"),
    # housing
    (r"物业费", "物业服务费用", r"物业服务费|物业费"),
    (r"物业公司|物业企业", "物业服务人", r"物业服务"),
    (r"物业(?!服务|管理|费|区域|项目)", "物业服务人", r"物业服务"),
    (r"停水停电|断水断电|停电停水", "停止供水、供电", r"供水|供电"),
    (r"催缴|催收|讨要", "催交", r"催交|催缴|追缴"),
    (r"业委会", "业主委员会", r"业主委员会"),
    (r"房东", "出租人", r"出租人"),
    (r"租客|租户", "承租人", r"承租人"),
    (r"找人代(?:他|她|我|自己)?(?:去)?|让人代(?:他|她)?(?:去)?|请人代(?:他|她)?(?:去)?", "委托他人代为", r"委托|代理|代为"),
    (r"没了工作|丢了工作|没工作了|失业了|被裁了", "失去工作", r"失去工作|失业"),
    (r"监控录像|监控视频|录像", "视频监控资料", r"视频|监控|影像"),
    (r"(?:留|存)(?=[^，。？?]{0,3}(?:多少|几)(?:天|日|个月))", "保存", r"保存|留存"),
    (r"一个人罚|每个人罚", "按每人罚款", r"每人"),
    # health
    (r"看病|看医生", "就医诊疗", r"诊疗|就医|医疗"),
    (r"医生|大夫", "医师", r"医师|医务人员"),
    (r"喂药|吃药|给药", "服用药品", r"药"),
    (r"乙肝病毒携带者|乙肝携带者|乙肝", "传染病病原携带者", r"病原携带者|传染病"),
    (r"药店|药房", "药品零售企业", r"药品"),
    # tourism
    (r"景点|景区", "旅游景区", r"景区"),
    (r"导游(?!证)", "导游人员", r"导游"),
    (r"游客", "旅游者", r"旅游者|游客"),
    (r"强迫|逼着", "强制", r"强制|强迫"),
    # administration
    (r"开证明", "出具证明", r"出具"),
    (r"办(?:个|张)?证", "办理证件", r"办理|证"),
    (r"(?:去|到)?哪(?:个部门|儿|里)?办(?:登记|手续)?", "向哪个部门申请登记", r"登记|申请|办理"),
    (r"找哪个部门批|谁来批|谁批", "由哪个部门批准", r"批准|审批"),
    (r"告到|去告|投诉到", "投诉举报", r"投诉|举报"),
]
# what a clause says when it speaks of the things these everyday words name (chatbot.refusal counts them)
EVERYDAY_MARKS = frozenset(mark for _, _, mark in EVERYDAY)
