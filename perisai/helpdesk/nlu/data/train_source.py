"""Authored source of the TRAINING messages (voice A). Written for Perisai; not copied from anywhere.

Each line is `lang|text`. HAND lines are used as written; TEMPLATES lines have slots ({who}, {ctry},
{n}, {city}, {fam}) that make_data.py fills, then it adds chat noise (abbreviations, stretched letters).
The held-out set (heldout_source.py) is written separately and shares no template with this file.
"""

HAND: dict[str, str] = {
    "emergency": """
id|tolong saya sekarang majikan pukul saya pakai kayu
id|sy dikunci di kamar mandi sama madam, sy takut bgt
id|majikan laki2 mau perkosa saya tolong cepat
id|saya mau bunuh diri, saya sudah tidak kuat lagi
id|tlg kak dia bawa pisau mau bunuh saya
id|teman sekamar saya pingsan dan tidak bangun bangun
id|saya baru saja diperkosa anak majikan, saya harus apa
id|tolong kebakaran di asrama, kami terjebak di lantai 3
id|saya di kunci di gudang udah 2 hari gak dikasih makan
id|suami majikan masuk kamar saya sekarang, saya takut sekali
en|please help my employer is beating me right now
en|i want to end my life, i can't take it anymore
en|he locked me in the room and took my phone, i'm scared
en|my friend is bleeding a lot and not responding
en|the building collapsed after the earthquake, we are trapped
en|help me now, my boss said he will kill me tonight
mixed|tolong help me pleasee dia lagi pukul aku
mixed|sir please tolong, madam kunci saya di dalam rumah
ms|tolong saya, majikan nak bunuh saya malam ni
ms|saya dikurung dalam bilik, tak boleh keluar, takut sangat
ms|kawan saya tak sedarkan diri, tolong cepat
jv|tulung aku dijotosi bojone majikan saiki
jv|aku dikunci nang kamar, wedi banget, tulung
jv|aku pengen mati wae, ora kuat meneh
id|air banjir sudah masuk rumah sampai dada, kami di atap tolong
id|sy lg sembunyi di kamar mandi, majikan ngamuk bawa parang
id|teman saya minum obat banyak sekali, sekarang kejang
id|saya hamil dan pendarahan, majikan tidak mau bawa ke rumah sakit
""",
    "abuse": """
id|majikan saya sering memukul kalau kerjaan tidak beres
id|saya sering dimaki dan dihina sama madam setiap hari
id|anak majikan suka pegang2 badan saya, saya risih
id|suami saya di kampung sering kasar dan memukul saya kalau telepon
id|agen saya membentak dan menampar saya waktu di penampungan
id|dulu pernah dipukul majikan, sekarang saya mau lapor
id|minggu lalu saya ditampar madam karena piring pecah
id|saya dilecehkan secara verbal oleh bos di pabrik
id|majikan lempar barang ke saya kalau marah
id|saya tidak dikasih makan yang cukup dan sering dimarahi
en|my employer shouts at me and slaps me when she is angry
en|the agent hit me last month when i asked to change employer
en|my husband abuses me over the phone and threatens to divorce me
en|my boss's son keeps touching me, i feel unsafe
en|i was beaten by my previous employer, can i still report it
mixed|madam always scold me pakai kata2 kasar, sy sedih
mixed|my employer suka pukul kepala saya kalau lupa
ms|majikan selalu marah dan tampar saya bila saya lambat
ms|saya kena pukul dengan majikan minggu lepas
jv|majikanku seneng nabok aku nek aku salah
jv|bojoku kasar, aku ditabok wingi
id|saya dipaksa tidur di lantai dapur dan dihina terus
id|madam sering cubit tangan saya sampai biru
id|pacar saya di sini suka kasar dan mukul kalau cemburu
""",
    "trafficking": """
id|paspor saya ditahan majikan, tidak dikasih balik
id|agen ambil paspor dan hp saya, saya tidak boleh keluar rumah
id|saya tidak boleh keluar sama sekali, libur pun tidak pernah
id|saya dijanjikan kerja di restoran tapi malah dipaksa kerja di tempat karaoke
id|saya disuruh kerja bayar hutang ke agen tapi hutangnya tidak habis2
id|saya sudah 3 kali dipindah ke majikan lain tanpa kontrak
id|saya kerja di perusahaan online scam di kamboja, tidak bisa pulang
id|dokumen saya dipegang bos, katanya kalau mau pulang harus bayar 30 juta
id|gaji saya dipotong terus untuk bayar hutang agen, sudah 2 tahun
id|saya dibawa ke malaysia lewat jalur tikus dan dijual ke majikan
en|my employer keeps my passport and won't let me leave the house
en|they promised me a factory job but i am forced to work in a scam compound
en|i have to repay a huge debt to the agency and they say i can never leave
en|the agent sold me to another employer without asking me
mixed|boss ambil passport saya, i cannot go out at all
mixed|sy kerja di scam company di myanmar, they take our phone
ms|majikan simpan pasport saya dan tak bagi saya keluar rumah
ms|saya ditipu kerja, sekarang kena paksa kerja scam di kemboja
jv|pasporku dicekel majikan, aku ora oleh metu omah
jv|aku dijanjeni kerjo pabrik tapi dipekso kerjo nang karaoke
id|hp saya disita, paspor ditahan, tidak boleh telepon keluarga
id|saya dijual ke agen lain, mereka bilang saya punya utang 50 juta
""",
    "wages": """
id|gaji saya belum dibayar sudah 3 bulan
id|majikan potong gaji saya tanpa alasan
id|gaji saya lebih kecil dari kontrak, kontrak 1500 tapi dikasih 1000
id|lembur tidak pernah dibayar padahal kerja sampai jam 12 malam
id|gaji saya ditahan majikan katanya nanti dikasih pas pulang
id|bagaimana cara menuntut gaji yang belum dibayar
id|perusahaan bangkrut dan gaji kami 2 bulan tidak dibayar
id|majikan bilang gaji saya dipotong karena hp rusak
en|my salary has not been paid for four months
en|my employer deducts money from my wages every month
en|i am paid less than what is written in my contract
en|how do i claim unpaid overtime
mixed|madam belum bayar salary saya, sudah 2 months
mixed|gaji saya cuma separuh, is that legal?
ms|gaji saya tak bayar lagi dah tiga bulan
ms|majikan potong gaji saya sebab pinggan pecah
jv|gajiku durung dibayar telung sasi
jv|bayaranku dipotong terus karo majikan
id|gaji saya telat terus tiap bulan, kadang baru dibayar tanggal 20
id|majikan tidak mau bayar sisa gaji setelah kontrak habis
""",
    "scam": """
id|saya sudah bayar 15 juta ke sponsor tapi tidak pernah diberangkatkan
id|apakah PT ini resmi? mereka minta biaya 25 juta
id|saya ditipu lowongan kerja di facebook, sudah transfer uang
id|biaya penempatan saya dipotong sangat besar, apa itu boleh
id|ada yang menawarkan kerja di korea tanpa tes bahasa, bayar 40 juta
id|saya pinjam uang di aplikasi online, bunganya mencekik dan diteror
id|akun saya dibajak dan mereka minta uang ke keluarga saya
id|ada orang ngaku dari kedutaan minta transfer uang untuk urus paspor
en|the recruitment agency took my money and disappeared
en|someone on facebook offered me a job in canada if i pay a fee, is it real
en|a loan shark keeps calling my family and threatening them
en|i was charged much more than the legal placement fee
mixed|agency minta fee 20 juta, is this legal?
mixed|saya kena scam online, sudah transfer 5 juta ke akun palsu
ms|ejen tu ambil duit saya dan hilang, pejabat dia pun dah tutup
ms|saya pinjam dengan ah long, sekarang dia ugut keluarga saya
jv|aku diapusi calo, wis mbayar 10 juta durung budhal
id|ada sms menang undian dari bank, disuruh transfer biaya admin
id|calo di kampung minta uang jaminan 5 juta, katanya biar cepat berangkat
""",
    "documents": """
id|paspor saya hilang di pasar, bagaimana cara buat baru
id|paspor saya sudah mau habis masa berlakunya
id|visa kerja saya expired bulan lalu, saya harus apa
id|saya overstay 6 bulan, apakah bisa diurus
id|bagaimana cara memperpanjang paspor di luar negeri
id|anak saya lahir di malaysia, bagaimana mengurus akta kelahiran
id|saya tidak punya dokumen sama sekali, masuk lewat jalur ilegal
id|ijin kerja saya belum diperpanjang oleh majikan
id|kartu arc saya hilang, bagaimana cara mengurusnya
en|i lost my passport, how can i get a new one
en|my work permit has expired and my employer did not renew it
en|how do i register my baby's birth at the embassy
en|can i renew my passport here or do i have to go home
mixed|passport sy ilang waktu pindahan, how to apply new one
mixed|visa saya expired, can i still extend?
ms|pasport saya hilang, macam mana nak buat yang baru
ms|permit kerja saya dah tamat, majikan tak nak renew
jv|paspor ku ilang, piye carane gawe maneh
jv|visaku wis entek, kudu piye
id|saya mau ganti nama di paspor karena beda dengan ktp
id|kalau mau buat spl karena paspor hilang syaratnya apa saja
""",
    "health": """
id|saya sakit perut sudah seminggu tapi tidak boleh ke dokter
id|bagaimana cara berobat gratis di sini
id|saya hamil 3 bulan, apakah masih bisa kerja
id|tangan saya luka kena minyak panas waktu masak
id|saya sering pusing dan susah tidur
id|saya stres dan sedih terus, ingin bicara dengan seseorang
id|apakah asuransi saya menanggung biaya rumah sakit
id|saya batuk lama, takut kena tbc
en|i have a fever and my employer won't take me to a clinic
en|where can i get a free medical check up
en|i feel depressed and lonely all the time
en|does my insurance cover hospital bills
mixed|sy sakit gigi parah, where is the nearest clinic
mixed|i'm pregnant tapi takut kasih tau madam
ms|saya demam dan batuk, klinik mana yang murah
ms|belakang saya sakit sangat sebab angkat barang berat
jv|awakku lara, meriang wis telung dino
jv|aku pengen periksa nang dokter tapi ora oleh
id|saya butuh obat darah tinggi, di mana bisa beli
id|mata saya merah dan perih sudah lama
""",
    "crisis": """
id|di sini ada perang, bom dimana2, kami takut
id|kota kami sedang ada demo besar dan kerusuhan
id|ada gempa besar tadi malam, kami mengungsi ke lapangan
id|apakah ada evakuasi untuk wni dari lebanon
id|banjir besar di kota kami, jalan ditutup semua
id|ada wabah penyakit di daerah ini, sekolah ditutup
id|jam malam diberlakukan di sini, kami tidak bisa belanja
id|situasi di sudan makin parah, bagaimana nasib wni
en|there is fighting near our city, is there an evacuation plan
en|the typhoon is coming tomorrow, what should we do
en|there are riots in the streets and shops are closed
en|is it safe to stay here with the outbreak
mixed|ada missile attack tadi malam dekat apartment kami
mixed|lockdown lagi di sini, we can't go out to buy food
ms|ada banjir besar kat kampung ni, semua orang pindah
ms|ada rusuhan dekat bandar, kedai semua tutup
jv|nang kene ana gempa gedhe, kabeh wong metu omah
jv|ana perang cedhak kene, aku wedi
id|asap kebakaran hutan bikin sesak, banyak orang pindah kota
id|ada tsunami warning, apakah harus mengungsi
""",
    "go_home": """
id|saya ingin pulang ke indonesia tapi tidak punya uang tiket
id|kontrak saya sudah habis, bagaimana cara pulang
id|saya ditangkap polisi dan sekarang di tahanan imigrasi
id|saya dideportasi minggu depan, siapa yang jemput di bandara
id|adik saya meninggal di taiwan, bagaimana memulangkan jenazahnya
id|saya terlantar di bandara, tidak bisa pulang
id|saya kabur dari majikan dan ingin pulang
id|bisakah kedutaan membantu biaya pulang
en|i want to go back to indonesia as soon as possible
en|my contract ended and i am stranded without a ticket
en|my sister died here, how can we send her body home
en|i am in detention waiting for deportation
mixed|sy mau balik indonesia, how to arrange repatriation
mixed|teman saya detained di immigration, bisa dipulangkan?
ms|saya nak balik indonesia, tiket mahal sangat
ms|kawan saya kena tangkap dan dihantar ke depot imigresen
jv|aku pengen mulih, kontrak wis rampung
jv|piye carane mulih nang jowo, duwitku entek
id|ibu saya sakit keras, saya harus pulang segera tapi majikan tidak izinkan
id|jenazah suami saya masih di rumah sakit arab saudi
""",
    "contact_mission": """
id|nomor telepon kbri kuala lumpur berapa
id|alamat konsulat jenderal di hong kong dimana
id|jam buka kedutaan hari sabtu
id|bagaimana cara menghubungi kbri kalau darurat
id|saya mau bicara dengan petugas konsuler
id|apakah perlu buat janji dulu sebelum ke kbri
id|kjri jeddah buka jam berapa
id|email kbri riyadh apa ya
en|what is the phone number of the indonesian embassy in singapore
en|where is the indonesian consulate in dubai
en|can i speak to an officer from the embassy
en|is the embassy open on sunday
mixed|sy mau contact embassy, ada whatsapp number?
mixed|where is kbri yang paling dekat dari sini
ms|nombor telefon kedutaan indonesia di kuala lumpur berapa
ms|pejabat konsulat buka pukul berapa
jv|alamate kbri nang ngendi
jv|nomer telpon kjri piye entuke
id|ada hotline pengaduan wni di taipei
id|saya mau datang ke kdei taipei, lokasinya dimana
""",
    "money": """
id|bagaimana cara kirim uang ke kampung yang murah
id|mau kirim uang ke keluarga tapi biaya transfernya mahal
id|kurs ringgit hari ini berapa
id|bagaimana cara menabung supaya bisa beli rumah di kampung
id|saya punya hutang di koperasi kampung, bagaimana mengatur cicilan
id|cara buka rekening bank di sini
id|uang yang saya kirim belum sampai ke rekening ibu
id|tips mengatur gaji supaya ada sisa untuk ditabung
en|what is the cheapest way to send money home
en|how can i save money for my children's school
en|my remittance has not arrived after three days
en|can i open a bank account as a domestic worker
mixed|mau transfer money ke indonesia, pakai app apa yang murah
mixed|how to manage gaji supaya bisa nabung
ms|macam mana nak hantar duit ke indonesia
ms|saya nak simpan duit untuk buka kedai bila balik
jv|piye carane ngirim duwit nang omah sing murah
jv|aku pengen nabung kanggo mbangun omah
id|saya mau pinjam uang untuk modal usaha setelah pulang
id|apakah ada investasi aman untuk pekerja migran
""",
    "rights_info": """
id|apakah saya berhak dapat libur satu hari seminggu
id|berapa jam kerja maksimal menurut kontrak
id|apa hak saya kalau majikan mau putus kontrak
id|apakah saya boleh ganti majikan
id|apakah majikan wajib kasih makan dan tempat tidur yang layak
id|bagaimana aturan cuti tahunan untuk pekerja rumah tangga
id|apakah saya dapat perlindungan bpjs ketenagakerjaan
id|apa isi kontrak kerja yang standar
en|am i entitled to a day off every week
en|what are my rights if my employer ends my contract early
en|is my employer allowed to make me work for another family
en|what is the minimum wage for domestic workers here
mixed|apa hak saya kalau mau resign, notice period berapa lama
mixed|is it legal majikan suruh kerja di rumah saudaranya
ms|apa hak saya sebagai pekerja asing kat sini
ms|boleh ke majikan tak bagi cuti langsung
jv|hakku opo wae nek kerjo nang kene
jv|aku oleh prei seminggu sepisan ora
id|saya mau tahu undang undang perlindungan pekerja migran
id|kalau kecelakaan kerja, siapa yang harus tanggung
""",
    "greeting": """
id|halo
id|selamat pagi min
id|assalamualaikum
id|permisi
id|terima kasih banyak ya kak
id|halo ada orang?
id|selamat malam, apa kabar
id|oke makasih infonya
en|hello
en|hi there
en|good morning
en|thank you so much
en|ok thanks
mixed|hi kak
mixed|hello min, selamat siang
ms|selamat petang
ms|terima kasih banyak
jv|sugeng enjing
jv|matur nuwun sanget
id|tes tes
id|hai
id|pagi
id|siang kak
id|malam min, masih buka?
id|halo admin perisai
id|hai kak, salam kenal ya
id|selamat sore semuanya
id|waalaikumsalam
id|oke kak siap
id|baik, terima kasih atas bantuannya
id|sampai nanti ya kak
id|ini nomor resmi kan?
en|hey there
en|hi, good evening
en|thanks, that helps
en|good night
en|nice to meet you
ms|hai semua
ms|assalamualaikum, selamat pagi
jv|sugeng rawuh
jv|monggo, matur nuwun
mixed|ok thank you kak
mixed|hi hi, ada orang kah
id|test
id|cek cek
""",
    "other": """
id|cuaca di sini panas sekali ya
id|resep rendang yang enak gimana
id|kak ada lowongan kerja di jepang tidak
id|bagaimana cara daftar kuliah online
id|saya mau belajar bahasa inggris
id|kapan lebaran tahun ini
id|cara isi pulsa dari luar negeri
id|siapa pemenang piala dunia
id|tolong rekomendasi film bagus
id|password wifi apa ya
en|what time is it in jakarta
en|can you recommend a good recipe for fried rice
en|who won the football match last night
en|how do i learn to drive here
mixed|ada recommended drama korea yang bagus?
mixed|gimana cara download app ini di iphone
ms|di mana nak beli barang indonesia kat sini
ms|ada cadangan tempat makan halal
jv|sesok udan ora yo
jv|piye carane masak sayur asem
id|hp saya rusak, dimana tempat servis yang murah
id|cara daftar akun tiktok
""",
}

# Slots: {who} employer/agent, {ctry} country, {city} city, {n} a number, {fam} a family member.
TEMPLATES: dict[str, str] = {
    "emergency": """
id|tolong {who} lagi pukul saya sekarang
id|{who} mau bunuh saya, saya takut
id|saya dikunci di kamar sama {who}, tolong
id|{who} mencoba memperkosa saya barusan
id|saya ingin bunuh diri, tidak kuat lagi di {ctry}
id|tolong cepat, {who} bawa pisau ancam saya
id|teman saya pingsan di rumah {who}, tidak sadar
id|tolong kami terjebak banjir di {city}, air sudah naik
id|{who} sedang mencekik saya tolong
id|saya disekap {who} di {city}, tolong selamatkan saya
en|help {who} is hitting me right now
en|{who} threatened to kill me tonight, please help
en|i am locked in the house by {who} and i am scared
en|i want to kill myself, i can't live like this in {ctry}
ms|tolong {who} nak bunuh saya sekarang
jv|tulung {who} arep mateni aku
mixed|please tolong, {who} lagi hit me
""",
    "abuse": """
id|{who} sering memukul saya kalau marah
id|{who} selalu menghina dan membentak saya
id|dulu saya pernah dipukul {who}, apa bisa dilaporkan
id|{who} suka melecehkan saya dengan kata kata kotor
id|minggu lalu {who} menampar saya
id|{who} kasar sama saya sejak bulan lalu
id|saya sering disiksa {who} kalau kerjaan salah
en|{who} often hits me when she is angry
en|{who} insults me every day and calls me names
en|{who} slapped me last week, what can i do
ms|{who} selalu tampar saya kalau salah sikit
jv|{who} seneng nabok aku
mixed|{who} suka abuse saya secara verbal
""",
    "trafficking": """
id|paspor saya ditahan {who}, saya tidak bisa keluar
id|{who} tidak izinkan saya keluar rumah sama sekali
id|saya dijual {who} ke majikan lain di {city}
id|saya ditipu kerja di {ctry}, ternyata dipaksa kerja online scam
id|hutang saya ke {who} tidak pernah lunas padahal sudah kerja {n} tahun
id|{who} sita hp dan paspor saya
id|saya dipindah pindah ke {n} majikan oleh {who}
en|{who} is holding my passport and i cannot leave
en|{who} forces me to work to pay a debt that never ends
en|i was promised a job in {ctry} but now i am forced to work in a scam company
ms|{who} ambil pasport saya dan tak bagi keluar
jv|pasporku ditahan {who}, aku ora oleh metu
mixed|{who} hold my passport, sy tidak bisa pergi kemana2
""",
    "wages": """
id|gaji saya belum dibayar {n} bulan oleh {who}
id|{who} potong gaji saya terus
id|gaji saya tidak sesuai kontrak, kurang banyak
id|{who} menahan gaji saya sudah {n} bulan
id|lembur saya tidak dibayar {who}
id|sudah {n} bulan kerja di {ctry} tapi belum digaji
en|{who} has not paid my salary for {n} months
en|{who} cuts my salary without reason
en|i get paid less than my contract says
ms|gaji saya {who} tak bayar {n} bulan
jv|gajiku durung dibayar {who} {n} sasi
mixed|{who} belum bayar salary saya {n} months
""",
    "scam": """
id|saya sudah bayar {n} juta ke {who} tapi tidak berangkat ke {ctry}
id|apakah agen ini resmi, minta uang {n} juta untuk ke {ctry}
id|saya kena tipu lowongan kerja ke {ctry} di facebook
id|biaya penempatan ke {ctry} diminta {n}0 juta, apa wajar
id|saya terlilit pinjol, bunganya besar dan diteror
id|ada orang mengaku petugas minta transfer {n} juta
en|the agency asked {n} thousand dollars for a job in {ctry}, is it a scam
en|i paid a recruiter to go to {ctry} but he disappeared
en|a loan shark is harassing my family
ms|ejen minta {n} ribu ringgit, betul ke
jv|aku diapusi calo kerjo nang {ctry}
mixed|saya kena scam, sudah transfer {n} juta
""",
    "documents": """
id|paspor saya hilang di {city}, bagaimana mengurusnya
id|visa saya sudah habis {n} bulan lalu
id|saya overstay di {ctry}, apa yang harus saya lakukan
id|cara perpanjang paspor di {city}
id|ijin kerja saya di {ctry} sudah mati
id|bagaimana daftar akta lahir anak yang lahir di {ctry}
id|saya tidak punya dokumen resmi di {ctry}
en|i lost my passport in {city}
en|my visa expired {n} months ago
en|how to renew my passport in {ctry}
ms|pasport saya hilang, macam mana nak buat baru di {city}
jv|pasporku ilang nang {city}
mixed|sy overstay di {ctry}, bisa extend visa ga?
""",
    "health": """
id|saya sakit {n} hari tapi {who} tidak izinkan ke dokter
id|di mana klinik murah di {city}
id|saya hamil {n} bulan, bagaimana periksa kandungan
id|saya sering sakit kepala dan susah tidur
id|saya merasa depresi dan kesepian di {ctry}
id|apakah asuransi menanggung biaya berobat di {ctry}
en|i have been sick for {n} days and need a doctor
en|where is a cheap clinic in {city}
en|i feel very stressed and cannot sleep
ms|saya demam {n} hari, klinik mana yang murah
jv|aku lara {n} dino, pengen periksa
mixed|sy sakit, need to see doctor tapi {who} tidak izinkan
""",
    "crisis": """
id|di {city} ada perang, apakah ada evakuasi
id|ada gempa di {city}, kami sudah mengungsi
id|situasi di {ctry} tidak aman, banyak demo dan kerusuhan
id|banjir besar di {city}, bagaimana info terbaru
id|ada wabah di {city}, apakah aman
id|badai akan datang ke {city} besok
en|there is war near {city}, will the embassy evacuate us
en|an earthquake hit {city}, what should we do
en|there are protests and riots in {city}
ms|ada banjir besar di {city}, semua orang pindah
jv|ana perang nang {ctry}, piye iki
mixed|ada riot di {city}, is it safe to go out
""",
    "go_home": """
id|saya mau pulang ke indonesia dari {ctry}
id|kontrak saya di {ctry} sudah habis, mau pulang tapi tidak ada tiket
id|saya ditahan imigrasi di {city}, ingin dipulangkan
id|{fam} saya meninggal di {ctry}, bagaimana pulangkan jenazah
id|saya terlantar di {city} tidak bisa pulang
id|saya akan dideportasi dari {ctry}
en|i want to go home from {ctry}
en|i am stranded in {city} and cannot afford a ticket home
en|my {fam} died in {ctry}, how do we bring the body home
ms|saya nak balik indonesia dari {city}
jv|aku pengen mulih saka {ctry}
mixed|sy mau pulang, how to get repatriation dari {ctry}
""",
    "contact_mission": """
id|nomor telepon kbri di {city} berapa
id|alamat kbri {city} di mana
id|jam buka konsulat di {city}
id|bagaimana menghubungi perwakilan ri di {ctry}
id|apa ada nomor whatsapp kedutaan di {ctry}
en|what is the address of the indonesian embassy in {city}
en|phone number of the indonesian consulate in {ctry}
en|what are the opening hours of the embassy in {city}
ms|di mana pejabat kedutaan indonesia di {city}
jv|alamate kbri nang {city} nang ngendi
mixed|sy butuh contact number kbri {city}
""",
    "money": """
id|cara kirim uang dari {ctry} ke indonesia yang murah
id|kirim uang ke {fam} di kampung pakai apa
id|kurs hari ini di {ctry} berapa
id|saya mau menabung {n} juta untuk usaha
id|uang kiriman ke {fam} belum sampai
id|bagaimana mengatur gaji untuk cicil hutang di kampung
en|how do i send money from {ctry} to indonesia
en|the money i sent to my {fam} has not arrived
en|how can i save money working in {ctry}
ms|macam mana nak hantar duit ke {fam} di kampung
jv|piye carane ngirim duwit nang {fam}
mixed|mau transfer ke {fam}, which app is cheapest
""",
    "rights_info": """
id|apakah saya berhak libur di {ctry}
id|berapa gaji minimum pekerja rumah tangga di {ctry}
id|apa hak saya kalau {who} putus kontrak
id|apakah {who} boleh menyuruh saya kerja di rumah lain
id|aturan jam kerja di {ctry} bagaimana
id|apakah saya boleh pindah majikan di {ctry}
en|what are my rights as a worker in {ctry}
en|is {who} allowed to make me work without a day off
en|what is the minimum wage in {ctry}
ms|apa hak pekerja asing di {ctry}
jv|hakku opo nek kerjo nang {ctry}
mixed|apa rights saya kalau {who} terminate kontrak
""",
    "greeting": """
id|halo kak
id|selamat pagi
id|selamat siang min
id|assalamualaikum kak
id|terima kasih ya
id|halo, ada yang bisa bantu?
en|hi
en|hello there
en|thanks a lot
ms|selamat pagi cik
jv|sugeng sonten
mixed|hello kak
""",
    "other": """
id|cuaca di {city} hari ini bagaimana
id|di {city} ada restoran indonesia tidak
id|cara beli tiket konser di {city}
id|rekomendasi tempat wisata di {ctry}
id|cara mengganti wallpaper hp
id|ada lowongan kerja di {ctry} tidak
en|what is the weather in {city} today
en|any good indonesian restaurant in {city}
en|how to change my phone wallpaper
ms|kat {city} ada kedai makan indonesia tak
jv|nang {city} ana warung jowo ora
mixed|ada recommended tempat jalan2 di {city}
""",
}

# More hand-written training lines (voice A), for breadth of vocabulary.
HAND_MORE: dict[str, str] = {
    "emergency": """
id|cepat tolong, majikan ngejar saya pakai pisau dapur
id|dia barusan mukul kepala saya sampai berdarah, sekarang saya di luar rumah
id|saya tidak kuat, malam ini saya mau minum semua obat tidur
id|ada orang asing masuk kamar dan memaksa saya, tolong
id|anak majikan yang saya jaga tenggelam di kolam, tidak bernafas
id|madam mencekik saya tadi, leher saya sakit dan saya takut dia ulangi
id|saya di dalam mobil agen, mereka bawa saya ke tempat yang tidak saya kenal, takut
id|teman saya ditusuk orang di asrama, darahnya banyak
en|someone is trying to break into my room, i'm alone
en|my employer pushed me down the stairs just now and i can't move my leg
en|she has not eaten for days and just collapsed on the floor
en|i'm going to hang myself, i'm sorry
ms|tolong, saya dikurung dan dipukul, sekarang saya berdarah
jv|tulung cepet, majikanku ngamuk nggowo pisau
mixed|please help cepat, i think my friend is dying, dia tidak bangun
id|gempa, kami tertimbun di bawah reruntuhan gedung, masih hidup
id|saya baru diserang di jalan dan dirampok, tangan saya luka parah
""",
    "abuse": """
id|saya sering dicaci maki karena tidak bisa bahasa mandarin
id|majikan pernah menendang saya waktu saya sakit, sekarang saya sudah pindah
id|bos suka ngomong jorok dan mengajak tidur, saya selalu menolak
id|saya dipermalukan di depan tamu dan disebut pembantu bodoh
id|istri majikan cemburu dan suka menampar saya
id|saya pernah dikurung semalaman di kamar mandi sebagai hukuman bulan lalu
id|suami saya mengancam akan menceraikan dan mengambil anak kalau saya tidak kirim uang
en|my employer pinches me and pulls my hair when she's in a bad mood
en|i am constantly humiliated and called names by the family
en|the agent used to beat us in the dormitory before we flew here
ms|majikan selalu jerit dan maki saya depan anak anak dia
jv|aku diantemi majikan sasi wingi, saiki wis ora
mixed|anak majikan sering rude dan lempar barang ke saya
id|kalau saya salah, saya dihukum tidak boleh makan seharian
id|majikan perempuan suka mendorong dan mencakar saya
""",
    "trafficking": """
id|sejak datang saya tidak pernah pegang paspor sendiri, semua dipegang agensi
id|saya disuruh kerja di pabrik padahal visa saya pekerja rumah tangga, dan tidak boleh keluar asrama
id|saya dijemput orang lalu dibawa ke rumah yang dijaga, hp diambil
id|katanya kerja jadi admin online, ternyata disuruh menipu orang lewat telepon
id|gaji saya habis untuk bayar potongan agen selama 10 bulan
id|majikan bilang saya sudah dibeli jadi tidak boleh berhenti
en|i am not allowed to contact my family and my documents were taken
en|the boat captain keeps our passports and we work 20 hours a day
en|i was tricked into coming here, the job does not exist and they won't let me go
ms|ejen tahan pasport dan kata saya kena kerja dua tahun tanpa gaji
jv|aku dikurung nang asrama pabrik, paspor dicekel bos
mixed|my agency potong gaji full 8 bulan, passport also they keep
id|saya diminta bayar denda 20 juta kalau mau berhenti kerja
id|kami dipaksa kerja di kebun sawit dan dijaga mandor, paspor disita
""",
    "wages": """
id|saya cuma digaji separuh sejak bulan maret
id|majikan menunda gaji dengan alasan bisnisnya rugi
id|gaji lembur hari minggu tidak pernah dihitung
id|saya sudah resign tapi gaji terakhir tidak dibayar
id|uang gaji saya dikirim ke rekening majikan, saya tidak pegang sepeser pun
en|my employer keeps saying she will pay me next week, for months now
en|i was promised 600 dollars but i only receive 400
en|they take money from my salary for food and lodging
ms|gaji bulan lepas belum masuk lagi
jv|bayaranku telat terus, saiki durung dibayar
mixed|gaji sy belum masuk, madam bilang wait next month
id|perusahaan tidak membayar tunjangan dan lembur sesuai kontrak
id|potongan gaji saya tidak jelas untuk apa
""",
    "scam": """
id|saya diminta bayar biaya medical dan visa ke rekening pribadi, apa ini penipuan
id|agen menjanjikan kerja di inggris dengan biaya 60 juta, tapi tidak ada surat resmi
id|pinjol ilegal menyebar data saya ke semua kontak
id|saya tertipu arisan online, uang 8 juta hilang
id|ada yang menawarkan jalur cepat ke jepang tanpa ujian, bayar di muka
en|the job advert asks me to pay for training before i get the contract
en|i sent money to an investment group on whatsapp and now they want more
en|is this recruitment agency licensed by the government
ms|ejen haram janji kerja kilang, saya dah bayar tapi dia hilang
jv|aku ditipu tawaran kerjo nang facebook, duwitku ilang
mixed|ada company offer job overseas, minta transfer deposit dulu, legit ga?
id|tetangga saya kena tipu calo, uang jual sawah habis
id|saya disuruh bayar biaya penempatan jauh di atas aturan
""",
    "documents": """
id|paspor saya jatuh di kereta dan tidak ketemu
id|bagaimana cara lapor kehilangan paspor ke polisi dan kbri
id|izin tinggal saya tinggal sebulan lagi, harus perpanjang di mana
id|saya lahir di sabah dan tidak punya akta lahir
id|apa bisa bikin paspor baru kalau paspor lama dibawa kabur teman
en|what documents do i need to replace a lost passport
en|my permit expires soon and i want to extend it
en|i have been undocumented for two years, can i regularise
ms|saya nak buat pasport untuk anak yang lahir di sini
jv|ijin kerjaku wis mati, piye ngurus e
mixed|ic sy hilang, how to replace it
id|saya salah tulis tanggal lahir di paspor
id|syarat perpanjang visa kerja apa saja
""",
    "health": """
id|saya demam tinggi tapi masih bisa jalan, di mana klinik 24 jam
id|saya mengalami keputihan dan gatal, malu periksa
id|punggung saya sakit sejak angkat nenek tiap hari
id|saya ingin tes hiv secara rahasia
id|saya susah makan dan berat badan turun banyak
id|saya butuh surat dokter untuk izin sakit
en|i have had a toothache for a week, where can i see a dentist
en|how do i get my medicine refilled here
en|i've been feeling very low and crying a lot
ms|saya sakit kepala setiap hari, perlu jumpa doktor
jv|sikilku abuh, lara nek mlaku
mixed|sy butuh check up, clinic yang murah di mana
id|apakah bpjs bisa dipakai di luar negeri
id|saya alergi obat tertentu, bagaimana bilang ke dokter
""",
    "crisis": """
id|listrik dan air mati karena badai, tapi kami baik baik saja
id|apakah wni di daerah konflik sudah didata kbri
id|situasi makin tegang, banyak pemeriksaan polisi di jalan
id|sekolah dan kantor ditutup karena demam berdarah mewabah
id|kami dengar bom meledak di pasar, bagaimana keadaan wni lain
en|is there any update for indonesians about the conflict
en|there is heavy smoke from wildfires, should we stay indoors
en|the city is under lockdown because of a new virus
ms|keadaan di sini tidak selamat, ada tembakan di bandar
jv|nang kene lagi udan deres terus, banjir nang endi endi
mixed|ada earthquake kecil tadi, kami fine tapi worried
id|pemerintah sini umumkan status darurat bencana
id|jalan ke bandara ditutup tentara, penerbangan dibatalkan
""",
    "go_home": """
id|saya sudah tua dan ingin kembali ke tanah air
id|pesawat pulang saya dibatalkan dan saya tertahan di sini
id|teman saya di rumah detensi, keluarga mau dia cepat pulang
id|saya sakit dan tidak bisa kerja lagi, ingin pulang ke kampung
id|bagaimana mengurus kepulangan kalau majikan tidak mau bayar tiket
en|i need help to return home, i have nothing left
en|my father wants to bring my mother's remains back to java
en|i'm being deported, what happens when i arrive in jakarta
ms|saya dah habis kontrak, bila boleh balik indonesia
jv|aku arep mulih, sopo sing mbayar tiket
mixed|sy stuck di airport, flight home cancelled
id|saya di penampungan kbri, kapan bisa pulang
id|jenazah ayah saya perlu dikirim dari malaysia ke ntt
""",
    "contact_mission": """
id|saya cari alamat kbri yang baru
id|berapa nomor pengaduan wni di arab saudi
id|kbri buka jam delapan atau jam sembilan
id|bagaimana cara menghubungi atase tenaga kerja
id|apakah konsulat punya kantor di kota saya
en|how do i contact the labour attache at the embassy
en|what days is the consulate open
en|i want to visit the embassy, do i need an appointment
ms|alamat konsulat indonesia di kota kinabalu di mana
jv|kantor kbri bukak jam piro
mixed|embassy phone number please, the one on website not working
id|ada nomor telepon kjri yang aktif 24 jam
id|saya mau mengadu langsung ke kedutaan, ke bagian apa
""",
    "money": """
id|saya mau kirim uang untuk biaya sekolah anak
id|lebih untung tukar uang di money changer atau di bank
id|bagaimana cara bikin anggaran bulanan
id|saya ingin investasi kecil kecilan untuk masa depan
id|kiriman uang saya ke suami dipakai habis, bagaimana mengaturnya
en|what is the best app to send money to indonesia
en|how much do i need to save to open a small shop back home
en|can i send money to my mother's e-wallet
ms|berapa kadar tukaran hari ini ke rupiah
jv|aku pengen ngirim duwit kanggo bapak nang desa
mixed|kirim uang via app lebih cheap dari bank kah
id|saya punya hutang ke saudara, ingin cicil dari gaji
id|apakah ada tabungan khusus pekerja migran
""",
    "rights_info": """
id|apakah saya berhak menolak kerja di rumah keluarga majikan
id|berapa lama waktu istirahat yang wajib diberikan
id|apakah saya boleh menyimpan paspor sendiri menurut hukum
id|kalau kontrak berakhir, apakah majikan wajib membelikan tiket pulang
id|hak saya apa kalau majikan meninggal dunia
en|what rights do domestic workers have in this country
en|am i allowed to change employers before the contract ends
en|does the law say i must get a rest day
ms|saya nak tahu hak pekerja rumah bawah undang undang
jv|aku pengen ngerti aturan kerjo nang kene
mixed|what are my rights kalau sakit dan tidak bisa kerja
id|apakah majikan boleh melarang saya sholat
id|bagaimana prosedur mengadu ke dinas tenaga kerja setempat
""",
    "greeting": """
id|selamat pagi kak, semoga sehat
id|halo kak, saya baru pertama kali chat
id|assalamualaikum, selamat malam
id|makasih kak udah jawab
id|siap kak terima kasih
en|hello, good afternoon
en|thank you very much
ms|selamat pagi semua
jv|sugeng enjang
mixed|hai admin, good day
""",
    "other": """
id|di mana tempat belanja murah hari minggu
id|saya mau belajar masak kue, ada kursus gratis
id|tolong terjemahkan kata ini ke bahasa inggris
id|kapan hari raya idul adha tahun ini
id|hp saya tidak bisa connect wifi
id|ada grup wa sesama orang jawa di sini
id|cara edit foto biar bagus
id|bagaimana cara buat cv
en|can you recommend a good book
en|how do i make a youtube channel
en|what's the best phone under 200 dollars
ms|di mana nak tengok wayang murah
jv|piye carane gawe akun instagram
mixed|ada yang tau tempat potong rambut murah near here
id|lagu apa yang lagi viral sekarang
id|saya suka menulis puisi, mau bagikan
""",
}

# Third batch (voice A), written after the first held-out run showed health, scam and "other" weakest
# (per-class scores only; the held-out messages themselves were not used).
HAND_EXTRA: dict[str, str] = {
    "health": """
id|majikan tidak kasih libur untuk periksa ke dokter, padahal saya sakit terus
id|saya lelah sekali dan sering pusing karena kurang tidur, apa perlu ke dokter
id|kaki saya sering kram dan bengkak setelah berdiri seharian
id|saya sedang hamil dan butuh vitamin, di mana beli
id|saya mengalami gangguan kecemasan, adakah layanan konseling bahasa indonesia
en|my employer says i'm not sick enough to see a doctor, but the pain won't stop
en|i'm always exhausted and dizzy, could it be anaemia
ms|saya mengandung, boleh ke saya dapat rawatan percuma
jv|awakku gampang kesel lan ngelu, kudu priksa nang ngendi
mixed|sy sering panic attack malam2, need someone to talk to
""",
    "scam": """
id|perusahaan perekrut minta uang jaminan supaya tidak kabur, apa itu sah
id|saya dikenakan biaya pelatihan berlipat oleh pt penyalur
id|orang yang mengaku polisi minta uang damai lewat telepon
id|aplikasi kerja sampingan minta deposit dulu sebelum dapat komisi
en|my recruiter charged me three months of salary as a placement fee
en|a caller said he was from the immigration office and asked me to transfer a fine
ms|ada syarikat minta yuran pendaftaran untuk kerja, betul ke atau tipu
jv|aku dijaluki duwit jaminan karo pt, jarene ben cepet budhal
mixed|ada agent minta bayar extra fee buat medical, padahal udah bayar
""",
    "other": """
id|bagaimana cara bikin bakso sendiri di rumah
id|ada info pertandingan badminton minggu ini
id|saya mau beli sepatu olahraga, merek apa yang bagus
id|cara kirim paket ke indonesia lewat pos
id|kapan jadwal tayang sinetron kesukaan saya
en|what's a good song to learn on guitar
en|where can i buy a cheap sim card
ms|macam mana nak buat kek coklat
jv|nang endi tuku jamu
mixed|sy mau belajar make up, any tutorial recommendation
""",
}
