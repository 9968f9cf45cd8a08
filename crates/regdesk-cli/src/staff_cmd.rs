//! `regdesk init` and `regdesk staff ...`.

use clap::{Args, Subcommand};
use regdesk_domain::office::OfficeInput;
use regdesk_domain::staff::Role;
use regdesk_store::{
    ChangePasswordInput, NewStaffInput, ResetPasswordInput, Session, SetDisabledInput, SetupInput, StaffView, Store,
    StoreError, UpdateStaffInput,
};

use crate::Io;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// 机构名称，如 浙江省版权局
    #[arg(long)]
    pub office_name: String,
    /// 机构代码（2–8 位大写字母或数字），如 ZJ
    #[arg(long)]
    pub office_code: String,
    /// 登记号前缀
    #[arg(long, default_value = "浙作登字")]
    pub reg_prefix: String,
    /// 省份两位代码
    #[arg(long, default_value = "33")]
    pub province: String,
    /// 本工作站名称
    #[arg(long, default_value = "受理窗口1")]
    pub station_name: String,
    #[arg(long, default_value = "admin")]
    pub admin_username: String,
    #[arg(long)]
    pub admin_name: String,
}

#[derive(Subcommand, Debug)]
pub enum StaffCmd {
    /// 新增工作人员（初始密码取自 REGDESK_NEW_PASSWORD，未设置时在终端提示输入；首次登录须修改）。 / Add a staff member (initial password from REGDESK_NEW_PASSWORD, else a prompt).
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        name: String,
        /// 岗位，可重复或逗号分隔：counter_clerk finance first_reviewer final_reviewer certificate_desk admin supervisor
        #[arg(long = "role", value_delimiter = ',', required = true)]
        roles: Vec<String>,
    },
    /// 列出工作人员。 / List the staff.
    List {
        #[arg(long)]
        json: bool,
    },
    /// 停用账号。 / Disable an account.
    Disable { username: String },
    /// 启用账号。 / Enable an account again.
    Enable {
        /// 登录名 / login name
        username: String,
    },
    /// 修改姓名或岗位（只改写出的项）。
    ///
    /// Change a staff member's name or roles (only what is given changes).
    Update {
        /// 登录名 / login name
        username: String,
        /// 姓名 / display name
        #[arg(long)]
        name: Option<String>,
        /// 岗位，可重复或逗号分隔 / roles, repeated or comma-separated
        #[arg(long = "role", value_delimiter = ',')]
        roles: Vec<String>,
    },
    /// 修改本人密码：原密码取自 REGDESK_PASSWORD，新密码取自 REGDESK_NEW_PASSWORD（未设置时在终端提示输入）。
    ///
    /// Change your own password (the old one from REGDESK_PASSWORD, the new one from REGDESK_NEW_PASSWORD or a prompt).
    ChangePassword,
    /// 重置密码：新密码取自 REGDESK_NEW_PASSWORD（未设置时在终端提示输入），下次登录须修改。
    ///
    /// Reset a password (from REGDESK_NEW_PASSWORD, or a prompt); it must be changed at the next sign-in.
    ResetPassword {
        /// 登录名 / login name
        username: String,
    },
}

/// Role codes as roles; `None` (with the usage message printed) for an unknown one.
fn parse_roles(roles: &[String], io: &mut Io<'_>) -> Option<Vec<Role>> {
    let mut parsed = Vec::new();
    for r in roles {
        match Role::from_code(r.trim()) {
            Some(role) => parsed.push(role),
            None => {
                let _ = writeln!(
                    io.err,
                    "未知岗位“{r}”，可用：{}",
                    Role::ALL.iter().map(|r| r.code()).collect::<Vec<_>>().join(" ")
                );
                return None;
            }
        }
    }
    Some(parsed)
}

fn report(io: &mut Io<'_>, e: &StoreError) -> u8 {
    let _ = writeln!(io.err, "{e}");
    if let StoreError::Invalid(fields) = e {
        if fields.len() > 1 {
            for f in fields {
                let _ = writeln!(io.err, "  {}: {}", f.field, f.message);
            }
        }
    }
    1
}

pub fn init(store: &Store, a: &InitArgs, io: &mut Io<'_>) -> u8 {
    let admin_password = match crate::password_from("REGDESK_ADMIN_PASSWORD", "首位管理员的密码") {
        Ok(p) => p,
        Err(e) => {
            let _ = writeln!(io.err, "{e}");
            return 1;
        }
    };
    let input = SetupInput {
        office: OfficeInput {
            name: a.office_name.clone(),
            office_code: a.office_code.clone(),
            reg_prefix: a.reg_prefix.clone(),
            province_code: a.province.clone(),
        },
        station_name: a.station_name.clone(),
        admin: NewStaffInput {
            username: a.admin_username.clone(),
            display_name: a.admin_name.clone(),
            roles: vec![Role::Admin],
            password: admin_password,
        },
    };
    match store.setup_office(&input) {
        Ok(_) => {
            let _ = writeln!(
                io.out,
                "已建立登记机构“{}”，管理员 {}。数据库：{}",
                a.office_name.trim(),
                a.admin_username.trim(),
                store.path().display()
            );
            0
        }
        Err(e) => report(io, &e),
    }
}

fn roles_text(v: &StaffView) -> String {
    v.roles.iter().map(|r| r.label()).collect::<Vec<_>>().join("、")
}

pub fn staff(store: &Store, s: &Session, cmd: &StaffCmd, io: &mut Io<'_>) -> u8 {
    match cmd {
        StaffCmd::Add { username, name, roles } => {
            let mut parsed = Vec::new();
            for r in roles {
                match Role::from_code(r.trim()) {
                    Some(role) => parsed.push(role),
                    None => {
                        let _ = writeln!(
                            io.err,
                            "未知岗位“{r}”，可用：{}",
                            Role::ALL.iter().map(|r| r.code()).collect::<Vec<_>>().join(" ")
                        );
                        return 2;
                    }
                }
            }
            let password = match crate::password_from("REGDESK_NEW_PASSWORD", &format!(" {username} 的初始密码")) {
                Ok(p) => p,
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    return 1;
                }
            };
            let input = NewStaffInput {
                username: username.clone(),
                display_name: name.clone(),
                roles: parsed,
                password,
            };
            match store.add_staff(s, &input) {
                Ok(v) => {
                    let _ = writeln!(
                        io.out,
                        "已新增 {}（{}）：{}",
                        v.display_name,
                        v.username,
                        roles_text(&v)
                    );
                    0
                }
                Err(e) => report(io, &e),
            }
        }
        StaffCmd::List { json } => match store.list_staff(s) {
            Ok(list) => {
                for v in &list {
                    if *json {
                        let _ = writeln!(io.out, "{}", serde_json::json!(v));
                    } else {
                        let state = if v.disabled { "停用" } else { "启用" };
                        let _ = writeln!(
                            io.out,
                            "{}\t{}\t{}\t{}",
                            v.username,
                            v.display_name,
                            roles_text(v),
                            state
                        );
                    }
                }
                0
            }
            Err(e) => report(io, &e),
        },
        StaffCmd::Disable { username } | StaffCmd::Enable { username } => {
            let disabled = matches!(cmd, StaffCmd::Disable { .. });
            let result = store.staff_by_username(s, username).and_then(|v| {
                store.set_staff_disabled(
                    s,
                    &SetDisabledInput {
                        id: v.id,
                        version: v.version,
                        disabled,
                    },
                )
            });
            match result {
                Ok(v) => {
                    let done = if disabled { "已停用" } else { "已启用" };
                    let _ = writeln!(io.out, "{done} {}（{}）", v.display_name, v.username);
                    0
                }
                Err(e) => report(io, &e),
            }
        }
        StaffCmd::Update { username, name, roles } => {
            let Some(parsed) = parse_roles(roles, io) else {
                return 2;
            };
            let result = store.staff_by_username(s, username).and_then(|v| {
                store.update_staff(
                    s,
                    &UpdateStaffInput {
                        id: v.id,
                        version: v.version,
                        display_name: name.clone().unwrap_or(v.display_name),
                        roles: if roles.is_empty() { v.roles } else { parsed },
                    },
                )
            });
            match result {
                Ok(v) => {
                    let _ = writeln!(
                        io.out,
                        "已修改 {}（{}）：{}",
                        v.display_name,
                        v.username,
                        roles_text(&v)
                    );
                    0
                }
                Err(e) => report(io, &e),
            }
        }
        StaffCmd::ChangePassword => {
            let input = crate::password_from("REGDESK_PASSWORD", "原密码").and_then(|old| {
                crate::password_from("REGDESK_NEW_PASSWORD", "新密码").map(|new| ChangePasswordInput {
                    old_password: old,
                    new_password: new,
                })
            });
            let input = match input {
                Ok(i) => i,
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    return 1;
                }
            };
            match store.change_password(s, &input) {
                Ok(()) => {
                    let _ = writeln!(io.out, "密码已修改");
                    0
                }
                Err(e) => report(io, &e),
            }
        }
        StaffCmd::ResetPassword { username } => {
            let password = match crate::password_from("REGDESK_NEW_PASSWORD", &format!(" {username} 的新密码")) {
                Ok(p) => p,
                Err(e) => {
                    let _ = writeln!(io.err, "{e}");
                    return 1;
                }
            };
            let result = store.staff_by_username(s, username).and_then(|v| {
                store.reset_password(
                    s,
                    &ResetPasswordInput {
                        id: v.id,
                        version: v.version,
                        new_password: password,
                    },
                )
            });
            match result {
                Ok(v) => {
                    let _ = writeln!(
                        io.out,
                        "已重置 {}（{}）的密码，下次登录须修改",
                        v.display_name, v.username
                    );
                    0
                }
                Err(e) => report(io, &e),
            }
        }
    }
}
